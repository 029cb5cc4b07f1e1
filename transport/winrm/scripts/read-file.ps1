# rotplay-script: read-file/1
# stdin: {"path":P,"max":N}, %VARS% in P expanded here. stdout, one JSON
# line: {"size":N,"data":BASE64}, or {"error":KIND,"message":M} with exit 1.
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
    if ([IO.Directory]::Exists($p)) { Fail 'isdir' "$p is a directory" }
    $f = New-Object IO.FileInfo $p
    if (-not $f.Exists) { Fail 'notexist' "$p does not exist" }
    if ($f.Length -gt $in.max) { Fail 'toolarge' "$p has $($f.Length) bytes, more than $($in.max)" }
    $b = [IO.File]::ReadAllBytes($p)
    # Built by hand: base64 needs no JSON escaping, and Windows PowerShell's
    # JSON cmdlets have length limits.
    [Console]::Out.Write('{"size":' + $b.Length + ',"data":"' + [Convert]::ToBase64String($b) + '"}' + "`n")
    exit 0
} catch {
    # .NET exceptions arrive wrapped in PowerShell's own.
    $e = $_.Exception
    while ($e.InnerException) { $e = $e.InnerException }
    $k = 'other'
    if ($e -is [IO.FileNotFoundException] -or $e -is [IO.DirectoryNotFoundException]) { $k = 'notexist' }
    elseif ($e -is [UnauthorizedAccessException]) { $k = 'denied' }
    Fail $k $e.Message
}
