# rotplay-script: registry-set/1
# Sets one registry value under HKEY_LOCAL_MACHINE in the 64-bit view, only
# when its data or kind differ. Input (one JSON line on stdin): key, name,
# data, kind (a RegistryValueKind name, or empty to keep the current kind),
# check (report only). Output (one JSON line): existed, kind, old, changed.
$ErrorActionPreference = 'Stop'
$ProgressPreference = 'SilentlyContinue'
function Send($o) { [Console]::Out.WriteLine(($o | ConvertTo-Json -Compress)) }
try {
    $in = [Console]::In.ReadLine() | ConvertFrom-Json
    $base = [Microsoft.Win32.RegistryKey]::OpenBaseKey('LocalMachine', 'Registry64')
    $key = $base.OpenSubKey($in.key, -not $in.check)
    $existed = $false
    $kind = ''
    $old = ''
    if ($null -ne $key -and ($key.GetValueNames() -contains $in.name)) {
        $existed = $true
        $kind = $key.GetValueKind($in.name).ToString()
        $old = [string]$key.GetValue($in.name, $null, 'DoNotExpandEnvironmentNames')
    }
    $want = $in.kind
    if (-not $want) { $want = if ($existed) { $kind } else { 'String' } }
    if ($want -notin @('String', 'ExpandString', 'DWord', 'QWord')) {
        throw "value kind $want is not supported"
    }
    $data = [string]$in.data
    $changed = (-not $existed) -or ($kind -ne $want) -or ($old -ne $data)
    if ($changed -and -not $in.check) {
        if ($null -eq $key) { $key = $base.CreateSubKey($in.key) }
        $value = $data
        if ($want -eq 'DWord') { $value = [int]$data }
        if ($want -eq 'QWord') { $value = [long]$data }
        $key.SetValue($in.name, $value, $want)
    }
    Send @{ existed = $existed; kind = $kind; old = $old; changed = $changed }
    exit 0
} catch {
    Send @{ error = $_.Exception.Message }
    exit 1
}
