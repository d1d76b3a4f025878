#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0.0' }
<#
    What only a real PowerShell runspace shows, against the integration lab: common parameters
    (-ErrorAction, -ErrorVariable, -WarningAction, -WarningVariable, -Verbose) acting on our records,
    StopProcessing (Ctrl+C, Stop-Job, PowerShell.Stop()), tab completion, Get-Command -Syntax and
    Start-Transcript. xunit drives the cmdlet classes through ICmdletOutput; none of this exists there.
#>

BeforeDiscovery {
    $repoRoot = Split-Path -Parent (Split-Path -Parent $PSScriptRoot)
    $CmdletNames = @((Import-PowerShellDataFile -Path (Join-Path $repoRoot 'StartTlsTools.psd1')).CmdletsToExport)
}

Describe 'StartTlsTools in a real runspace' {

    BeforeAll {
        . (Join-Path $PSScriptRoot 'Common.ps1')
        $SmtpPort = Get-LabPort SMTP
        $SubmissionPort = Get-LabPort SUBMISSION
        $FullId = { param($Id) "$Id,StartTlsTools.Commands.TestStartTlsCommand" }

        # A loopback port with nobody listening: the connect is refused at once (ConnectFailed).
        function Get-ClosedPort {
            $listener = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Loopback, 0)
            $listener.Start()
            try { $listener.LocalEndpoint.Port } finally { $listener.Stop() }
        }
        $ClosedPort = Get-ClosedPort
    }

    AfterAll {
        Remove-Module -Name StartTlsTools -ErrorAction SilentlyContinue
    }

    Context 'Errors' {

        It '-ErrorAction Stop ends the script with the stable ConnectFailed id, category and target' {
            $caught = $null
            $reached = $false
            try {
                $null = Test-StartTls -HostName 127.0.0.1 -Port $ClosedPort -TimeoutSeconds 10 -ErrorAction Stop
                $reached = $true
            }
            catch { $caught = $_ }
            $reached | Should -BeFalse
            $caught | Should -Not -BeNullOrEmpty
            $caught.FullyQualifiedErrorId | Should -Be (& $FullId 'ConnectFailed')
            $caught.CategoryInfo.Category | Should -Be 'ConnectionError'
            $caught.TargetObject | Should -Be '127.0.0.1'
        }

        It '-ErrorAction SilentlyContinue still writes the result and shows no error' {
            $Error.Clear()
            $everything = @(Test-StartTls -HostName 127.0.0.1 -Port $ClosedPort -TimeoutSeconds 10 -ErrorAction SilentlyContinue 2>&1)
            $everything.Count | Should -Be 1
            $everything[0] | Should -BeOfType ([StartTlsTools.StartTlsResult])
            $everything[0].Status | Should -Be 'ConnectFailed'
            $everything[0].Reason | Should -Not -BeNullOrEmpty
            # Silenced, not lost: PowerShell still keeps the record in $Error.
            $Error[0].FullyQualifiedErrorId | Should -Be (& $FullId 'ConnectFailed')
        }

        It '-ErrorVariable collects the record with its category, target and reason' {
            $result = Test-StartTls -HostName 127.0.0.1 -Port $ClosedPort -TimeoutSeconds 10 -ErrorAction SilentlyContinue -ErrorVariable failures
            $failures.Count | Should -Be 1
            $failures[0] | Should -BeOfType ([System.Management.Automation.ErrorRecord])
            $failures[0].FullyQualifiedErrorId | Should -Be (& $FullId 'ConnectFailed')
            $failures[0].CategoryInfo.Category | Should -Be 'ConnectionError'
            $failures[0].TargetObject | Should -Be '127.0.0.1'
            $failures[0].Exception.Message | Should -Match "127\.0\.0\.1:$ClosedPort"
            $failures[0].Exception.Message | Should -Match ([regex]::Escape($result.Reason))
        }

        It '-ErrorVariable stays empty for a healthy server' {
            $null = Test-StartTls -HostName localhost -Port $SmtpPort -TrustedRootCertificate $Ca -ErrorVariable failures
            $failures.Count | Should -Be 0
        }
    }

    Context 'Warnings: the lab CA is not trusted by this machine' {

        It '-WarningVariable collects one certificate warning naming the target' {
            $result = Test-StartTls -HostName localhost -Port $SmtpPort -TimeoutSeconds 10 -WarningAction SilentlyContinue -WarningVariable warnings
            $result.Status | Should -Be 'Success'
            $result.CertificateValid | Should -BeFalse
            $warnings.Count | Should -Be 1
            $warnings[0].Message | Should -Match "localhost:$SmtpPort"
            $warnings[0].Message | Should -Match ([regex]::Escape($result.CertificateError))
        }

        It '-WarningAction Continue writes the warning to stream 3' {
            $everything = @(Test-StartTls -HostName localhost -Port $SmtpPort -TimeoutSeconds 10 -WarningAction Continue 3>&1)
            @($everything | Where-Object { $_ -is [System.Management.Automation.WarningRecord] }).Count | Should -Be 1
            @($everything | Where-Object { $_ -is [StartTlsTools.StartTlsResult] }).Count | Should -Be 1
        }

        It '-WarningAction Stop turns the warning into a terminating error' {
            { Test-StartTls -HostName localhost -Port $SmtpPort -TimeoutSeconds 10 -WarningAction Stop } |
                Should -Throw -ErrorId (& $FullId 'ActionPreferenceStop')
        }

        It 'writes no warning when the lab CA is given' {
            $null = Test-StartTls -HostName localhost -Port $SmtpPort -TrustedRootCertificate $Ca -WarningVariable warnings
            $warnings.Count | Should -Be 0
        }
    }

    Context 'The -Verbose dialogue' {

        It 'names the target before and the status after' {
            $records = @(Test-StartTls -HostName localhost -Port $SmtpPort -TrustedRootCertificate $Ca -Verbose 4>&1 |
                Where-Object { $_ -is [System.Management.Automation.VerboseRecord] })
            $records.Count | Should -BeGreaterOrEqual 2
            $records[0].Message | Should -Match "Smtp STARTTLS localhost:$SmtpPort"
            @($records | Where-Object { $_.Message -match "localhost:$SmtpPort\b.*\bSuccess\b" }).Count | Should -Be 1
        }

        It 'says nothing on stream 4 without -Verbose' {
            $records = @(Test-StartTls -HostName localhost -Port $SmtpPort -TrustedRootCertificate $Ca 4>&1 |
                Where-Object { $_ -is [System.Management.Automation.VerboseRecord] })
            $records.Count | Should -Be 0
        }
    }

    Context 'StopProcessing (Ctrl+C) against a listener that never greets' {

        BeforeEach {
            # Accepts the TCP connection (the kernel does) and never says a word: Test-StartTls waits for a greeting.
            $Listener = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Loopback, 0)
            $Listener.Start()
            $SilentPort = $Listener.LocalEndpoint.Port
            # Far longer than the test can take: stopping must not wait for it.
            $LongTimeoutSeconds = 300
        }

        AfterEach {
            $Listener.Stop()
        }

        It 'Stop-Job on a thread job stops Test-StartTls long before its timeout, with no error' {
            $job = Start-ThreadJob -ArgumentList $ModuleManifest, $SilentPort, $LongTimeoutSeconds -ScriptBlock {
                param($Manifest, $Port, $Timeout)
                Import-Module -Name $Manifest
                Test-StartTls -HostName 127.0.0.1 -Port $Port -TimeoutSeconds $Timeout
            }
            try {
                $accept = $Listener.AcceptTcpClientAsync()
                $accept.Wait([TimeSpan]::FromSeconds(60)) | Should -BeTrue -Because 'the job must be connected and waiting for the greeting'
                $clock = [System.Diagnostics.Stopwatch]::StartNew()
                Stop-Job -Job $job
                $clock.Stop()

                $job.State | Should -Be 'Stopped'
                $output = @(Receive-Job -Job $job -ErrorVariable jobErrors -ErrorAction SilentlyContinue)
                foreach ($result in $output) { $result.Status | Should -Be 'Cancelled' }
                $jobErrors.Count | Should -Be 0
                $clock.Elapsed.TotalSeconds | Should -BeLessThan $LongTimeoutSeconds
                $accept.Result.Dispose()
            }
            finally {
                Remove-Job -Job $job -Force
            }
        }

        It 'PowerShell.Stop() on a running pipeline stops it long before its timeout, with no error' {
            $ps = [powershell]::Create()
            try {
                # Import first, on its own: a stopped multi-statement invocation adds PowerShell's own PipelineStopped record.
                $null = $ps.AddCommand('Import-Module').AddParameter('Name', $ModuleManifest).Invoke()
                $ps.Commands.Clear()
                $null = $ps.AddCommand('Test-StartTls').AddParameter('HostName', '127.0.0.1').AddParameter('Port', $SilentPort).
                    AddParameter('TimeoutSeconds', $LongTimeoutSeconds)
                $clock = [System.Diagnostics.Stopwatch]::StartNew()
                $invocation = $ps.BeginInvoke()
                $accept = $Listener.AcceptTcpClientAsync()
                $accept.Wait([TimeSpan]::FromSeconds(60)) | Should -BeTrue -Because 'the pipeline must be connected and waiting for the greeting'
                $ps.Stop()

                $output = @()
                try { $output = @($ps.EndInvoke($invocation)) }
                catch [System.Management.Automation.PipelineStoppedException] { }
                catch { if ($_.Exception.InnerException -isnot [System.Management.Automation.PipelineStoppedException]) { throw } }
                $clock.Stop()

                $ps.InvocationStateInfo.State | Should -Be 'Stopped'
                foreach ($result in $output) { $result.Status | Should -Be 'Cancelled' }
                $ps.Streams.Error.Count | Should -Be 0
                $clock.Elapsed.TotalSeconds | Should -BeLessThan $LongTimeoutSeconds
                $accept.Result.Dispose()
            }
            finally {
                $ps.Dispose()
            }
        }
    }

    Context 'Tab completion of -Protocol' {

        It 'lists all 13 registered protocols' {
            $line = 'Test-StartTls -HostName localhost -Protocol '
            $completion = TabExpansion2 -inputScript $line -cursorColumn $line.Length
            $offered = @($completion.CompletionMatches.CompletionText | Sort-Object)
            $offered.Count | Should -Be 13
            ($offered -join ',') | Should -Be ((@([StartTlsTools.ProtocolRegistry]::Names) | Sort-Object) -join ',')
        }

        It 'completes the prefix <Prefix> to <Expected>' -ForEach @(
            @{ Prefix = 'Xm'; Expected = 'Xmpp,XmppServer' }
            @{ Prefix = 'Sub'; Expected = 'Submission' }
            @{ Prefix = 'post'; Expected = 'PostgreSql' }
            @{ Prefix = 'M'; Expected = 'ManageSieve,MySql' }
        ) {
            $line = "Test-StartTls localhost -Protocol $Prefix"
            $completion = TabExpansion2 -inputScript $line -cursorColumn $line.Length
            (@($completion.CompletionMatches.CompletionText | Sort-Object) -join ',') | Should -Be $Expected
            $completion.ReplacementIndex | Should -Be ($line.Length - $Prefix.Length)
            $completion.ReplacementLength | Should -Be $Prefix.Length
        }
    }

    Context 'Get-Command -Syntax' {

        It 'shows every parameter of <_> in its syntax' -ForEach $CmdletNames {
            $name = $_
            $command = Get-Command -Name $name
            $syntax = (Get-Command -Name $name -Syntax | Out-String).Trim()
            $lines = @($syntax -split '\r?\n' | Where-Object { $_.Trim() })
            $lines.Count | Should -Be $command.ParameterSets.Count
            foreach ($line in $lines) {
                $line | Should -BeLike "$name *"
                $line | Should -Match '\[<CommonParameters>\]$'
            }
            $common = [System.Management.Automation.Cmdlet]::CommonParameters + [System.Management.Automation.Cmdlet]::OptionalCommonParameters
            foreach ($parameter in $command.Parameters.Keys | Where-Object { $_ -notin $common }) {
                $syntax | Should -Match "-$parameter\b" -Because "-$parameter is a parameter of $name"
            }
        }
    }

    Context 'Start-Transcript around Invoke-SmtpAuthPlain with -Verbose' {

        BeforeAll {
            $Password = $LabCredential.GetNetworkCredential().Password
            $WrongPassword = 'wrong-' + [guid]::NewGuid().ToString('N')
            $SecretForms = foreach ($secret in $Password, $WrongPassword) {
                $secret
                [Convert]::ToBase64String([Text.Encoding]::UTF8.GetBytes($secret))
                [Convert]::ToBase64String([Text.Encoding]::UTF8.GetBytes("`0$($Lab.LAB_USER)`0$secret"))
            }
            $TranscriptPath = Join-Path $TestDrive 'auth-transcript.txt'
            # A transcript's header records the host's whole command line, so even the wrong password is kept off it.
            $WrongPasswordPath = Join-Path $TestDrive 'wrong-password.txt'
            [System.IO.File]::WriteAllText($WrongPasswordPath, $WrongPassword)

            # A fresh console host, as a user's session would be; the password is read from the lab's file
            # inside it and never appears on a command line.
            $ChildOutput = Invoke-FreshPwsh -Command @"
Import-Module -Name '$ModuleManifest' -ErrorAction Stop
`$password = ConvertTo-SecureString -String ([System.IO.File]::ReadAllText('$($Lab.LAB_PASSWORD_FILE)').Trim()) -AsPlainText -Force
`$credential = [pscredential]::new('$($Lab.LAB_USER)', `$password)
`$wrong = [pscredential]::new('$($Lab.LAB_USER)', (ConvertTo-SecureString -String ([System.IO.File]::ReadAllText('$WrongPasswordPath')) -AsPlainText -Force))
`$ca = [System.Security.Cryptography.X509Certificates.X509Certificate2]::new('$($Lab.LAB_CA)')
`$common = @{ HostName = 'localhost'; Port = $SubmissionPort; EhloName = 'client.lab.test'; TrustedRootCertificate = `$ca; IncludeTranscript = `$true; Verbose = `$true }
`$null = Start-Transcript -LiteralPath '$TranscriptPath'
Invoke-SmtpAuthPlain @common -Credential `$credential | Format-List * -Force | Out-Host
Invoke-SmtpAuthPlain @common -Credential `$wrong -ErrorAction Continue | Format-List * -Force | Out-Host
`$null = Stop-Transcript
"@
            $Transcript = if (Test-Path -LiteralPath $TranscriptPath) { Get-Content -LiteralPath $TranscriptPath -Raw } else { '' }
        }

        It 'captures the verbose dialogue, both results and the failure' {
            $Transcript | Should -Match "VERBOSE: SMTP AUTH PLAIN STARTTLS localhost:$SubmissionPort as $([regex]::Escape($Lab.LAB_USER))"
            $Transcript | Should -Match 'Status\s+: Succeeded'
            $Transcript | Should -Match 'Status\s+: AuthenticationFailed'
            $Transcript | Should -Match 'AUTH PLAIN <redacted>'
        }

        It 'holds no form of either password' {
            $Transcript | Should -Not -BeNullOrEmpty
            foreach ($form in $SecretForms) { $Transcript.Contains($form) | Should -BeFalse }
        }

        It 'prints no form of either password to the console either' {
            $console = $ChildOutput | Out-String
            $console | Should -Match 'Succeeded'
            foreach ($form in $SecretForms) { $console.Contains($form) | Should -BeFalse }
        }
    }
}
