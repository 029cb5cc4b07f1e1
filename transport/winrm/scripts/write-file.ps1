# rotplay-script: write-file/1
# stdin: {"path":P,"size":N,"data":BASE64,"chown":B}, %VARS% in P expanded
# here; kept under 2 MB, the JSON limit of Windows PowerShell before 5.0.
# stdout, one JSON line: {"written":N}, or {"error":KIND,"message":M}, exit 1.
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
    $d = [Convert]::FromBase64String($in.data)
    # A short stdin must not become a short file.
    if ($d.Length -ne $in.size) { Fail 'other' "received $($d.Length) of $($in.size) bytes" }
    $p = [IO.Path]::GetFullPath([Environment]::ExpandEnvironmentVariables($in.path))
    if ([IO.Directory]::Exists($p)) { Fail 'isdir' "$p is a directory" }
    $dir = [IO.Path]::GetDirectoryName($p)
    if (-not [IO.Directory]::Exists($dir)) { Fail 'notexist' "directory $dir does not exist" }
    $exists = [IO.File]::Exists($p)
    if ($in.chown -and -not $exists) { Fail 'unsupported' 'Windows files have no UID/GID owner to set' }
    # Same directory, so that the swap below is a rename on one volume.
    $tmp = [IO.Path]::Combine($dir, '.rotplay-' + [Guid]::NewGuid().ToString('N') + '.tmp')
    try {
        $s = New-Object IO.FileStream($tmp, [IO.FileMode]::CreateNew, [IO.FileAccess]::Write, [IO.FileShare]::None)
        try { $s.Write($d, 0, $d.Length); $s.Flush($true) } finally { $s.Dispose() }
        # Replace keeps the old file's ACL, attributes and streams. NullString:
        # a plain $null could reach .NET as "", which is no "no backup".
        if ($exists) { [IO.File]::Replace($tmp, $p, [NullString]::Value) } else { [IO.File]::Move($tmp, $p) }
    } catch {
        Remove-Item -LiteralPath $tmp -Force -ErrorAction SilentlyContinue
        throw
    }
    Out-Json @{ written = $d.Length }
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
