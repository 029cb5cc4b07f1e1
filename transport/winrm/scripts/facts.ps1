# rotplay-script: facts/1
# What rotplay learns when it connects. stdin: {}. stdout, one JSON line:
# {"arch":A,"hostname":H,"user":DOMAIN\USER}.
$ErrorActionPreference = 'Stop'
$ProgressPreference = 'SilentlyContinue'
# ASCII-only JSON: it reads the same whatever the console's code page.
function Out-Json($o) {
    $j = $o | ConvertTo-Json -Compress
    [Console]::Out.Write([regex]::Replace($j, '[^\x00-\x7f]', { '\u{0:x4}' -f [int][char]$args[0].Value }) + "`n")
}
# A 32-bit PowerShell on 64-bit Windows sees x86 here, and the real
# architecture in PROCESSOR_ARCHITEW6432.
$arch = $env:PROCESSOR_ARCHITEW6432
if (-not $arch) { $arch = $env:PROCESSOR_ARCHITECTURE }
Out-Json @{
    arch     = "$arch"
    hostname = [Environment]::MachineName
    user     = [Security.Principal.WindowsIdentity]::GetCurrent().Name
}
exit 0
