#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0.0' }
<#
    Verdicts in PowerShell: -CheckEnforcement and TlsRequired against the lab's real servers, the Unavailable
    status and its error record against small fake servers (421/554 greetings, which no lab server sends), and
    server text that stays inert through Format-List.
#>

BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')

    # A one-connection fake server on 127.0.0.1 in its own runspace: sends the first reply at once, then one reply
    # for each line the client sends, then waits for the client to close. Returns the port and a handle to stop it.
    function Start-FakeServer {
        param([Parameter(Mandatory)] [string[]]$Replies)
        $listener = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Loopback, 0)
        $listener.Start()
        $ps = [powershell]::Create()
        $null = $ps.AddScript({
            param($listener, $replies)
            $client = $listener.AcceptTcpClient()
            try {
                $stream = $client.GetStream()
                $stream.ReadTimeout = 10000
                $reader = [System.IO.StreamReader]::new($stream, [System.Text.Encoding]::ASCII)
                foreach ($reply in $replies) {
                    if ($reply -ne $replies[0]) { if ($null -eq $reader.ReadLine()) { break } }
                    $bytes = [System.Text.Encoding]::UTF8.GetBytes($reply)
                    $stream.Write($bytes, 0, $bytes.Length)
                }
                while ($null -ne $reader.ReadLine()) { }
            }
            catch { }
            finally { $client.Close(); $listener.Stop() }
        }).AddArgument($listener).AddArgument($Replies)
        [pscustomobject]@{ Port = $listener.LocalEndpoint.Port; PowerShell = $ps; Handle = $ps.BeginInvoke(); Listener = $listener }
    }

    function Stop-FakeServer {
        param([Parameter(Mandatory)] $Server)
        $Server.Listener.Stop()
        $null = $Server.Handle.AsyncWaitHandle.WaitOne(10000)
        $Server.PowerShell.Dispose()
    }
}

Describe '-CheckEnforcement and TlsRequired' {

    It 'Postfix submission with smtpd_tls_security_level=encrypt requires TLS (530)' {
        $result = Test-StartTls -HostName localhost -Protocol Submission -Port (Get-LabPort SUBMISSION) -TrustedRootCertificate $Ca -EhloName client.lab.test -CheckEnforcement
        $result.Status | Should -Be 'Success'
        $result.TlsRequired | Should -BeTrue
        $result.TlsRequiredEvidence | Should -Match '530 5\.7\.0'
        $result.FindingIds | Should -Not -Match 'StartTlsOptional'
    }

    It 'Postfix on the SMTP port takes mail in plaintext: TLS optional, an Info finding for relay' {
        $result = Test-StartTls -HostName localhost -Port (Get-LabPort SMTP) -TrustedRootCertificate $Ca -EhloName client.lab.test -CheckEnforcement
        $result.TlsRequired | Should -BeFalse
        $result.TlsRequiredEvidence | Should -Match '250 2\.1\.0'
        ($result.Findings | Where-Object Id -EQ 'StartTlsOptional').Severity | Should -Be 'Info'
    }

    It 'without the switch the verdict stays unknown and says how to learn it' {
        $result = Test-StartTls -HostName localhost -Port (Get-LabPort SMTP) -TrustedRootCertificate $Ca -EhloName client.lab.test -IncludeTranscript
        $result.TlsRequired | Should -BeNullOrEmpty
        $result.TlsRequiredEvidence | Should -Match '-CheckEnforcement'
        $result.Transcript | Should -Not -Match 'MAIL FROM'
    }

    It 'the verdict needs no switch where the dialogue shows it (Prosody required element, slapd confidentialityRequired)' {
        (Test-StartTls -HostName localhost -Protocol Xmpp -Port (Get-LabPort XMPP) -TrustedRootCertificate $Ca).TlsRequired | Should -BeTrue
        (Test-StartTls -HostName localhost -Protocol Ldap -Port (Get-LabPort LDAP_REQUIRED) -TrustedRootCertificate $Ca).TlsRequired | Should -BeTrue
    }

    It 'vsftpd with forced TLS logins requires TLS; the plain one does not' {
        (Test-StartTls -HostName localhost -Protocol Ftp -Port (Get-LabPort FTP_REQUIRED) -TrustedRootCertificate $Ca -CheckEnforcement).TlsRequired | Should -BeTrue
        (Test-StartTls -HostName localhost -Protocol Ftp -Port (Get-LabPort FTP) -TrustedRootCertificate $Ca -CheckEnforcement).TlsRequired | Should -BeFalse
    }

    It 'exports TlsRequired and its evidence to CSV' {
        $csv = Join-Path $TestDrive 'enforcement.csv'
        Test-StartTls -HostName localhost -Protocol Submission -Port (Get-LabPort SUBMISSION) -TrustedRootCertificate $Ca -EhloName client.lab.test -CheckEnforcement |
            Export-Csv -LiteralPath $csv -NoTypeInformation
        $row = Import-Csv -LiteralPath $csv
        $row.TlsRequired | Should -Be 'True'
        $row.TlsRequiredEvidence | Should -Match '530'
    }

    It 'rejects -GreetingTimeoutSeconds <_> before any connection' -ForEach @(0, 601) {
        { Test-StartTls -HostName 192.0.2.1 -GreetingTimeoutSeconds $_ } |
            Should -Throw -ExceptionType ([System.Management.Automation.ParameterBindingException])
    }
}

Describe 'Servers that turn the client away' {

    It 'a 554 greeting naming a DNSBL is Unavailable, BlockListed, with the ServerUnavailable error' {
        $server = Start-FakeServer -Replies "554 5.7.1 Service unavailable; client blocked using zen.spamhaus.org`r`n", "221 Bye`r`n"
        try {
            $result = Test-StartTls -HostName 127.0.0.1 -Port $server.Port -EhloName client.test -TimeoutSeconds 5 -ErrorVariable errs -ErrorAction SilentlyContinue
        }
        finally { Stop-FakeServer $server }
        $result.Status | Should -Be 'Unavailable'
        $result.UnavailableKind | Should -Be 'BlockListed'
        $result.BlockList | Should -Be 'zen.spamhaus.org'
        $result.FindingIds | Should -Match 'ClientBlockListed'
        $errs.Count | Should -Be 1
        $errs[0].FullyQualifiedErrorId | Should -BeLike 'ServerUnavailable,*'
        $errs[0].CategoryInfo.Category | Should -Be 'ConnectionError'
    }

    It 'a 421 too-many-connections greeting is a rate limit, not StartTlsRefused' {
        $server = Start-FakeServer -Replies "421 4.7.0 mx.example Error: too many connections`r`n", "221 Bye`r`n"
        try {
            $result = Test-StartTls -HostName 127.0.0.1 -Port $server.Port -EhloName client.test -TimeoutSeconds 5 -ErrorVariable errs -ErrorAction SilentlyContinue
        }
        finally { Stop-FakeServer $server }
        $result.Status | Should -Be 'Unavailable'
        $result.UnavailableKind | Should -Be 'RateLimited'
        $result.FindingIds | Should -Match 'ServerRateLimited'
        $errs[0].FullyQualifiedErrorId | Should -Not -BeLike 'StartTlsRefused,*'
        -not (Test-StartTls -HostName 127.0.0.1 -Port $server.Port -Quiet -TimeoutSeconds 1 -ErrorAction SilentlyContinue) | Should -BeTrue
    }
}

Describe 'Server text is inert' {

    It 'terminal escapes in a banner reach Format-List as visible text, even with PlainText rendering' {
        $server = Start-FakeServer -Replies "220 mx.example `e[2J`e]0;owned`a ESMTP`r`n", "250 mx.example`r`n", "221 Bye`r`n"
        try {
            $result = Test-StartTls -HostName 127.0.0.1 -Port $server.Port -EhloName client.test -TimeoutSeconds 5 -ErrorAction SilentlyContinue
        }
        finally { Stop-FakeServer $server }
        $result.Banner | Should -Be 'mx.example \x1b[2J\x1b]0;owned\x07 ESMTP'
        $saved = $PSStyle.OutputRendering
        try {
            $PSStyle.OutputRendering = 'PlainText'
            $text = $result | Format-List | Out-String -Width 200
        }
        finally { $PSStyle.OutputRendering = $saved }
        $text | Should -Match ([regex]::Escape('\x1b[2J'))
        $text.Contains([char]27) | Should -BeFalse
        $text.Contains([char]7) | Should -BeFalse
        ($result | ConvertTo-Json -Depth 5).Contains([char]27) | Should -BeFalse
    }
}
