# rotplay-script: service/1
# Starts, stops or restarts a Windows service and waits until it is running
# (or stopped), up to a timeout. Input (one JSON line on stdin): name (the
# service or display name), state (started|stopped|restarted), timeout
# (seconds), check (report only). Output (one JSON line): name, before,
# after, changed.
$ErrorActionPreference = 'Stop'
$ProgressPreference = 'SilentlyContinue'
function Send($o) { [Console]::Out.WriteLine(($o | ConvertTo-Json -Compress)) }
try {
    $in = [Console]::In.ReadLine() | ConvertFrom-Json
    $svc = Get-Service | Where-Object { $_.ServiceName -eq $in.name -or $_.DisplayName -eq $in.name } |
        Select-Object -First 1
    if ($null -eq $svc) { throw "service $($in.name) not found" }
    $before = $svc.Status.ToString()
    $target = 'Running'
    if ($in.state -eq 'stopped') { $target = 'Stopped' }
    $changed = ($in.state -eq 'restarted') -or ($before -ne $target)
    if ($changed -and -not $in.check) {
        switch ($in.state) {
            'started' { Start-Service -InputObject $svc }
            'stopped' { Stop-Service -InputObject $svc -Force }
            'restarted' { Restart-Service -InputObject $svc -Force }
        }
        try {
            $svc.WaitForStatus($target, [TimeSpan]::FromSeconds($in.timeout))
        } catch {
            $svc.Refresh()
            throw "service $($svc.ServiceName) is $($svc.Status), not $target, after $($in.timeout)s"
        }
    }
    $svc.Refresh()
    Send @{ name = $svc.ServiceName; before = $before; after = $svc.Status.ToString(); changed = $changed }
    exit 0
} catch {
    Send @{ error = $_.Exception.Message }
    exit 1
}
