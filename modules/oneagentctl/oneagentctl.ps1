# rotplay-script: oneagentctl/1
# Runs oneagentctl.exe with the arguments given on stdin and passes its
# output and exit code through. The tenant token, when one is set, arrives
# in the JSON input and is turned into --set-tenant-token=... here, so it is
# never in this script nor in the powershell.exe command line.
# Input: path (may hold %VARIABLES%), args (list), token (optional).
$ErrorActionPreference = 'Stop'
$ProgressPreference = 'SilentlyContinue'
try {
    $in = [Console]::In.ReadLine() | ConvertFrom-Json
    $exe = [Environment]::ExpandEnvironmentVariables($in.path)
    if (-not (Test-Path -LiteralPath $exe -PathType Leaf)) {
        [Console]::Error.WriteLine("oneagentctl not found at $exe")
        exit 127
    }
    $id = [Security.Principal.WindowsIdentity]::GetCurrent()
    $admin = [Security.Principal.WindowsBuiltInRole]::Administrator
    if (-not (New-Object Security.Principal.WindowsPrincipal($id)).IsInRole($admin)) {
        [Console]::Error.WriteLine('oneagentctl requires administrator privileges: this session is not elevated')
        exit 126
    }
    $argv = @($in.args)
    if ($in.token) {
        if ($in.token -notmatch '^[A-Za-z0-9._-]{1,512}$') {
            [Console]::Error.WriteLine('refusing a tenant token with characters a token never has')
            exit 2
        }
        $argv = @("--set-tenant-token=$($in.token)") + $argv
    }
    $out = & $exe @argv 2>&1 | ForEach-Object { "$_" }
    $code = $LASTEXITCODE
    foreach ($line in $out) { [Console]::Out.WriteLine($line) }
    exit $code
} catch {
    [Console]::Error.WriteLine($_.Exception.Message)
    exit 1
}
