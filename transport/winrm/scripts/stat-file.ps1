# rotplay-script: stat-file/1
# stdin: {"path":P}, %VARS% in P expanded here. stdout, one JSON line:
# {"isDir":B,"size":N}, or {"error":KIND,"message":M} with exit 1.
$ErrorActionPreference = 'Stop'
$ProgressPreference = 'SilentlyContinue'
# ASCII-only JSON: it reads the same whatever the console's code page.
function Out-Json($o) {
    $j = $o | ConvertTo-Json -Compress
    [Console]::Out.Write([regex]::Replace($j, '[^\x00-\x7f]', { '\u{0:x4}' -f [int][char]$args[0].Value }) + "`n")
}
function Fail($kind, $msg) { Out-Json @{ error = $kind; message = "$msg" }; exit 1 }
try {
    $in = @($input)[0] | ConvertFrom-Json
    $p = [Environment]::ExpandEnvironmentVariables($in.path)
    if ([IO.Directory]::Exists($p)) { Out-Json @{ isDir = $true; size = 0 }; exit 0 }
    $f = New-Object IO.FileInfo $p
    if (-not $f.Exists) { Fail 'notexist' "$p does not exist" }
    Out-Json @{ isDir = $false; size = $f.Length }
    exit 0
} catch {
    # .NET exceptions arrive wrapped in PowerShell's own.
    $e = $_.Exception
    while ($e.InnerException) { $e = $e.InnerException }
    $k = 'other'
    if ($e -is [UnauthorizedAccessException]) { $k = 'denied' }
    Fail $k $e.Message
}
