#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0.0' }
<#
    Many targets through one pipeline (-ThrottleLimit) in real pwsh: the same results whatever the limit,
    progress as a host receives it and none when silenced (runbook mode), and a Stop that ends a run in flight.
    Against the lab.
#>

BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')

    $Csv = Join-Path ([System.IO.Path]::GetTempPath()) ("starttlstools-fleet-{0}.csv" -f [guid]::NewGuid())
    $rows = foreach ($round in 1..2) {
        foreach ($service in @(
                @{ Key = 'SMTP'; Protocol = 'Smtp' }, @{ Key = 'SMTP_PLAIN'; Protocol = 'Smtp' },
                @{ Key = 'IMAP'; Protocol = 'Imap' }, @{ Key = 'POP3'; Protocol = 'Pop3' },
                @{ Key = 'LDAP'; Protocol = 'Ldap' }, @{ Key = 'FTP'; Protocol = 'Ftp' })) {
            [pscustomobject]@{ HostName = 'localhost'; Port = Get-LabPort $service.Key; Protocol = $service.Protocol }
        }
    }
    $rows | Export-Csv -LiteralPath $Csv -NoTypeInformation

    # Established connections towards a port, from the kernel's table: the run has started connecting.
    function Get-EstablishedCount {
        param([int]$Port)
        $hex = ':{0:X4}' -f $Port
        # Fields: sl, local, remote, state. Trim first: the kernel pads sl to four characters, so from entry 1000 on
        # a line has no leading blank and splitting the raw line would shift every field.
        @(Get-Content /proc/net/tcp | Select-Object -Skip 1 | Where-Object { $f = $_.Trim() -split '\s+'; $f[2] -like "*$hex" -and $f[3] -eq '01' }).Count
    }

    # A fresh runspace with the module, as a host (or an Automation worker) runs a script.
    function Invoke-Hosted {
        param([Parameter(Mandatory)] [string]$Script, [object[]]$Arguments = @())
        $ps = [powershell]::Create()
        try {
            $null = $ps.AddScript("Import-Module -Name '$ModuleManifest' -ErrorAction Stop").AddStatement()
            $null = $ps.AddScript($Script)
            foreach ($a in $Arguments) { $null = $ps.AddArgument($a) }
            $output = $ps.Invoke()
            [pscustomobject]@{ Output = @($output); Progress = @($ps.Streams.Progress); Errors = @($ps.Streams.Error) }
        }
        finally { $ps.Dispose() }
    }
}

AfterAll {
    Remove-Item -LiteralPath $Csv -ErrorAction SilentlyContinue
}

Describe 'Test-StartTls -ThrottleLimit' {

    It 'gives the same results one at a time and 16 at a time, and keeps input order at 1' {
        $serial = @(Import-Csv -LiteralPath $Csv | Test-StartTls -ThrottleLimit 1 -EhloName client.lab.test -ErrorAction SilentlyContinue)
        $parallel = @(Import-Csv -LiteralPath $Csv | Test-StartTls -ThrottleLimit 16 -EhloName client.lab.test -ErrorAction SilentlyContinue)
        $key = { '{0}:{1}/{2} {3}' -f $_.HostName, $_.Port, $_.Protocol, $_.Status }

        $serial.Count | Should -Be 12
        ($parallel | ForEach-Object $key | Sort-Object) | Should -Be ($serial | ForEach-Object $key | Sort-Object)
        ($serial | ForEach-Object { "$($_.Port)/$($_.Protocol)" }) | Should -Be (Import-Csv -LiteralPath $Csv | ForEach-Object { "$($_.Port)/$($_.Protocol)" })
        $serial.Status | Should -Contain 'NotOffered'
        $serial.Status | Should -Contain 'Success'
    }

    It 'writes one error per failed target whatever the limit' {
        $null = Import-Csv -LiteralPath $Csv | Test-StartTls -ThrottleLimit 16 -EhloName client.lab.test -ErrorAction SilentlyContinue -ErrorVariable failures
        $failures.Count | Should -Be 2
        $failures.FullyQualifiedErrorId | Should -Match '^StartTlsNotOffered,'
    }

    It 'validates the limit before any connection' {
        { Test-StartTls -HostName localhost -ThrottleLimit 0 -ErrorAction Stop } | Should -Throw -ErrorId 'ParameterArgumentValidationError,StartTlsTools.Commands.TestStartTlsCommand'
    }

    It 'writes progress with targets done, in flight and the slowest' {
        $run = Invoke-Hosted -Script 'param($csv) Import-Csv -LiteralPath $csv | Test-StartTls -ThrottleLimit 8 -EhloName client.lab.test -ErrorAction SilentlyContinue' -Arguments $Csv
        $run.Output.Count | Should -Be 12
        $run.Progress.Count | Should -BeGreaterThan 0
        $run.Progress[0].Activity | Should -Be 'Test-StartTls'
        $run.Progress[0].StatusDescription | Should -Match 'target\(s\) done, \d+ in flight \(at most 8\)'
        $run.Progress[-1].RecordType | Should -Be 'Completed'
    }

    It 'writes no progress in runbook mode with progress silenced' {
        $run = Invoke-Hosted -Script 'param($csv) $ProgressPreference = "SilentlyContinue"; Import-Csv -LiteralPath $csv | Test-StartTls -ThrottleLimit 8 -EhloName client.lab.test -ErrorAction SilentlyContinue' -Arguments $Csv
        $run.Output.Count | Should -Be 12
        $run.Progress.Count | Should -Be 0
    }

    It 'stops every target in flight when the pipeline is stopped (Ctrl+C)' {
        # A listener that never accepts: connections complete in the kernel's backlog and no greeting ever comes.
        $silent = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Loopback, 0)
        $silent.Start(64)
        $ps = [powershell]::Create()
        try {
            $port = $silent.LocalEndpoint.Port
            $null = $ps.AddScript("Import-Module -Name '$ModuleManifest'; 1..20 | ForEach-Object { [pscustomobject]@{ HostName = '127.0.0.1'; Port = $port } } | Test-StartTls -ThrottleLimit 8 -GreetingTimeoutSeconds 300 -TimeoutSeconds 300")
            $handle = $ps.BeginInvoke()
            $deadline = [DateTime]::UtcNow.AddSeconds(30)
            # Wait until the run has connections in flight, then stop it.
            while ([DateTime]::UtcNow -lt $deadline -and (Get-EstablishedCount -Port $port) -lt 1) { Start-Sleep -Milliseconds 50 }
            # Without a connection in flight the Stop below would prove nothing.
            Get-EstablishedCount -Port $port | Should -BeGreaterThan 0
            $stop = $ps.BeginStop($null, $null)
            # A hang guard, not a latency figure.
            $stop.AsyncWaitHandle.WaitOne([TimeSpan]::FromSeconds(60)) | Should -BeTrue
            $ps.InvocationStateInfo.State | Should -Be 'Stopped'
        }
        finally {
            $ps.Dispose()
            $silent.Stop()
        }
    }
}

