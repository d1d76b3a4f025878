#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0.0' }
<#
    Test-StartTls end to end, in PowerShell, against the integration lab (tests/lab/up.sh):
    real Postfix and Dovecot on 127.0.0.1, a throwaway CA, server certificate SANs
    DNS:localhost and DNS:mail.lab.test only.

    Needs: the module built into out/StartTlsTools (dotnet build) and the lab running.
    The lab's state directory is $env:STARTTLS_LAB_DIR, or /tmp/starttlstools-lab.

        Invoke-Pester -Path tests/Pester -Output Detailed

    Runs on Windows PowerShell 5.1 and PowerShell 7.
#>

Describe 'Test-StartTls against the integration lab' {

    BeforeAll {
        . (Join-Path $PSScriptRoot 'Common.ps1')
        foreach ($name in 'SMTP', 'SMTP_PLAIN', 'SUBMISSION', 'SMTPS', 'IMAP', 'IMAPS', 'POP3', 'POP3S') { $null = Get-LabPort $name }

        # One successful SMTP test, shared by the tests that only read it.
        $Smtp = Test-StartTls -HostName localhost -Port $Lab.LAB_SMTP_PORT -TrustedRootCertificate $Ca -TimeoutSeconds 10
    }

    AfterAll {
        Remove-Module -Name StartTlsTools -ErrorAction SilentlyContinue
    }

    Context 'Module surface' {

        It 'exports Test-StartTls as a cmdlet' {
            # Manifest.Tests.ps1 checks the full export list; other cmdlets live beside this one.
            $command = Get-Command -Module StartTlsTools -Name Test-StartTls
            $command.Name | Should -Be 'Test-StartTls'
            $command.CommandType | Should -Be 'Cmdlet'
        }

        It 'puts findings on every result' {
            $Smtp.FindingIds | Should -BeOfType [string]
            @($Smtp.Findings | Where-Object { $_.Severity -ge [StartTlsTools.FindingSeverity]::Medium }).Count | Should -Be 0
            $plain = Test-StartTls -HostName localhost -Port $Lab.LAB_SMTP_PLAIN_PORT -ErrorAction SilentlyContinue
            $plain.FindingIds | Should -Be 'StartTlsNotOffered'
            $plain.Findings[0].Severity | Should -Be 'High'
        }

        It 'reports the lab certificate as expiring soon only when -ExpiryWarningDays covers it' {
            $Smtp.FindingIds | Should -Not -Match 'CertificateExpiringSoon'
            $soon = Test-StartTls -HostName localhost -Port $Lab.LAB_SMTP_PORT -TrustedRootCertificate $Ca -ExpiryWarningDays 365
            $soon.FindingIds | Should -Match 'CertificateExpiringSoon'
            { Test-StartTls -HostName localhost -ExpiryWarningDays -1 -ErrorAction Stop } |
                Should -Throw -ErrorId 'ParameterArgumentValidationError,StartTlsTools.Commands.TestStartTlsCommand'
        }

        It 'declares StartTlsResult and Boolean as output types' {
            $outputTypes = @((Get-Command -Name Test-StartTls).OutputType | ForEach-Object { $_.Name })
            $outputTypes | Should -Contain 'StartTlsTools.StartTlsResult'
            $outputTypes | Should -Contain 'System.Boolean'
        }

        It 'accepts exactly the registered protocols' {
            $protocolType = (Get-Command -Name Test-StartTls).Parameters['Protocol'].ParameterType
            (([enum]::GetNames($protocolType) | Sort-Object) -join ', ') |
                Should -Be ((@([StartTlsTools.ProtocolRegistry]::Names) | Sort-Object) -join ', ')
        }

        It 'loads the default view from the format file' {
            Get-FormatData -TypeName 'StartTlsTools.StartTlsResult' | Should -Not -BeNullOrEmpty
        }
    }

    Context 'SMTP with STARTTLS' {

        It 'returns one StartTlsResult' {
            @($Smtp).Count | Should -Be 1
            $Smtp | Should -BeOfType 'StartTlsTools.StartTlsResult'
        }

        It 'upgrades to TLS 1.3' {
            $Smtp.Status | Should -Be 'Success'
            $Smtp.HostName | Should -Be 'localhost'
            $Smtp.Port | Should -Be $Lab.LAB_SMTP_PORT
            $Smtp.Protocol | Should -Be 'Smtp'
            $Smtp.ImplicitTls | Should -BeFalse
            $Smtp.StartTlsOffered | Should -BeTrue
            $Smtp.StartTlsReply | Should -Match '^220 '
            $Smtp.TlsEstablished | Should -BeTrue
            $Smtp.TlsVersion | Should -Be 'Tls13'
            $Smtp.CipherSuite | Should -Not -BeNullOrEmpty
            $Smtp.PlaintextBytesDiscardedAtUpgrade | Should -Be 0
        }

        It 'validates the certificate with the lab CA' {
            $Smtp.CertificateValid | Should -BeTrue
            $Smtp.CertificateChainValid | Should -BeTrue
            $Smtp.HostnameMatches | Should -BeTrue
            $Smtp.CertificateError | Should -BeNullOrEmpty
            $Smtp.IsHealthy | Should -BeTrue
            # A TextList: items for the pipeline, "; "-joined text for Export-Csv.
            $Smtp.CertificateSubjectAlternativeNames | Should -Be @('DNS:localhost', 'DNS:mail.lab.test')
            $Smtp.CertificateSubjectAlternativeNames.ToString() | Should -Be 'DNS:localhost; DNS:mail.lab.test'
            $Smtp.CertificateDaysToExpiry | Should -BeGreaterOrEqual 0
        }

        It 'reads the capabilities before and after TLS' {
            $Smtp.Banner | Should -Not -BeNullOrEmpty
            $Smtp.CapabilitiesBeforeTls | Should -Contain 'STARTTLS'
            $Smtp.CapabilitiesAfterTls | Should -Not -BeNullOrEmpty
        }

        It 'records timings and leaves the transcript out by default' {
            $Smtp.ConnectMs | Should -BeGreaterThan 0
            $Smtp.TimeToSecureChannelMs | Should -BeGreaterThan $Smtp.ConnectMs
            $Smtp.TotalMs | Should -BeGreaterThan 0
            $Smtp.Transcript | Should -BeNullOrEmpty
        }

        It 'reports an untrusted chain without the lab CA, with a warning and no error' {
            $result = Test-StartTls -HostName localhost -Port $Lab.LAB_SMTP_PORT -TimeoutSeconds 10 `
                -WarningVariable warnings -WarningAction SilentlyContinue -ErrorVariable errors -ErrorAction SilentlyContinue
            $result.Status | Should -Be 'Success'
            $result.CertificateValid | Should -BeFalse
            $result.CertificateChainValid | Should -BeFalse
            $result.HostnameMatches | Should -BeTrue
            $result.CertificateError | Should -Not -BeNullOrEmpty
            $result.IsHealthy | Should -BeFalse
            $warnings.Count | Should -Be 1
            $errors.Count | Should -Be 0
        }

        It 'reports a name mismatch when tested by IP address (the certificate has no IP SAN)' {
            $result = Test-StartTls -HostName 127.0.0.1 -Port $Lab.LAB_SMTP_PORT -TrustedRootCertificate $Ca -TimeoutSeconds 10 `
                -WarningAction SilentlyContinue
            $result.Status | Should -Be 'Success'
            $result.CertificateChainValid | Should -BeTrue
            $result.HostnameMatches | Should -BeFalse
            $result.CertificateValid | Should -BeFalse
        }

        It '-Quiet returns [bool] $true with the lab CA' {
            $quiet = Test-StartTls -HostName localhost -Port $Lab.LAB_SMTP_PORT -TrustedRootCertificate $Ca -TimeoutSeconds 10 -Quiet
            @($quiet).Count | Should -Be 1
            $quiet | Should -BeOfType ([bool])
            $quiet | Should -BeTrue
        }

        It '-Quiet returns [bool] $false without the lab CA, and writes no warning' {
            $quiet = Test-StartTls -HostName localhost -Port $Lab.LAB_SMTP_PORT -TimeoutSeconds 10 -Quiet `
                -WarningVariable warnings -WarningAction SilentlyContinue
            $quiet | Should -BeOfType ([bool])
            $quiet | Should -BeFalse
            $warnings.Count | Should -Be 0
        }

        It '-IncludeTranscript records the dialogue with the EHLO name' {
            $result = Test-StartTls -HostName localhost -Port $Lab.LAB_SMTP_PORT -TrustedRootCertificate $Ca -TimeoutSeconds 10 `
                -EhloName client.lab.test -IncludeTranscript
            $result.Transcript | Should -Match 'C plain EHLO client\.lab\.test'
            $result.Transcript | Should -Match 'C plain STARTTLS'
            $result.Transcript | Should -Match 'C tls +EHLO client\.lab\.test'
        }
    }

    Context 'SMTP server without TLS' {

        It 'returns NotOffered and a StartTlsNotOffered error record' {
            $result = Test-StartTls -HostName localhost -Port $Lab.LAB_SMTP_PLAIN_PORT -TimeoutSeconds 10 `
                -ErrorVariable errors -ErrorAction SilentlyContinue
            $result.Status | Should -Be 'NotOffered'
            $result.StartTlsOffered | Should -BeFalse
            $result.TlsEstablished | Should -BeFalse
            $result.TlsVersion | Should -Be 'None'
            $result.Reason | Should -Not -BeNullOrEmpty
            $result.CapabilitiesBeforeTls | Should -Not -Contain 'STARTTLS'
            $errors.Count | Should -Be 1
            $errors[0].FullyQualifiedErrorId | Should -BeLike 'StartTlsNotOffered,*'
            $errors[0].CategoryInfo.Category | Should -Be 'NotEnabled'
            $errors[0].TargetObject | Should -Be 'localhost'
        }

        It '-Quiet returns $false and writes no error record' {
            $quiet = Test-StartTls -HostName localhost -Port $Lab.LAB_SMTP_PLAIN_PORT -TimeoutSeconds 10 -Quiet `
                -ErrorVariable errors -ErrorAction SilentlyContinue
            $quiet | Should -BeOfType ([bool])
            $quiet | Should -BeFalse
            $errors.Count | Should -Be 0
        }
    }

    Context 'Submission and implicit TLS' {

        It 'Submission advertises AUTH only after TLS' {
            $result = Test-StartTls -HostName localhost -Protocol Submission -Port $Lab.LAB_SUBMISSION_PORT `
                -TrustedRootCertificate $Ca -TimeoutSeconds 10
            $result.Status | Should -Be 'Success'
            $result.Protocol | Should -Be 'Submission'
            $result.IsHealthy | Should -BeTrue
            @($result.CapabilitiesBeforeTls -match '^AUTH\b').Count | Should -Be 0
            @($result.CapabilitiesAfterTls -match '^AUTH\b').Count | Should -BeGreaterThan 0
        }

        It 'SMTPS works with -ImplicitTls' {
            $result = Test-StartTls -HostName localhost -Port $Lab.LAB_SMTPS_PORT -ImplicitTls `
                -TrustedRootCertificate $Ca -TimeoutSeconds 10
            $result.Status | Should -Be 'Success'
            $result.ImplicitTls | Should -BeTrue
            $result.StartTlsOffered | Should -BeNullOrEmpty
            $result.CapabilitiesBeforeTls | Should -BeNullOrEmpty
            $result.CapabilitiesAfterTls | Should -Not -BeNullOrEmpty
            $result.Banner | Should -Not -BeNullOrEmpty
            $result.TlsVersion | Should -Be 'Tls13'
            $result.CertificateValid | Should -BeTrue
        }
    }

    Context 'IMAP and POP3' {

        It '<Protocol> on <PortKey> (implicit TLS: <Implicit>)' -ForEach @(
            @{ Protocol = 'Imap'; PortKey = 'LAB_IMAP_PORT'; Implicit = $false; Keyword = 'STARTTLS' }
            @{ Protocol = 'Imap'; PortKey = 'LAB_IMAPS_PORT'; Implicit = $true; Keyword = $null }
            @{ Protocol = 'Pop3'; PortKey = 'LAB_POP3_PORT'; Implicit = $false; Keyword = 'STLS' }
            @{ Protocol = 'Pop3'; PortKey = 'LAB_POP3S_PORT'; Implicit = $true; Keyword = $null }
        ) {
            $result = Test-StartTls -HostName localhost -Protocol $Protocol -Port $Lab[$PortKey] -ImplicitTls:$Implicit `
                -TrustedRootCertificate $Ca -TimeoutSeconds 10
            $result.Status | Should -Be 'Success'
            $result.Protocol | Should -Be $Protocol
            $result.Port | Should -Be $Lab[$PortKey]
            $result.ImplicitTls | Should -Be $Implicit
            $result.TlsEstablished | Should -BeTrue
            $result.CertificateValid | Should -BeTrue
            $result.CapabilitiesAfterTls | Should -Not -BeNullOrEmpty
            if ($Implicit) {
                $result.StartTlsOffered | Should -BeNullOrEmpty
            }
            else {
                $result.StartTlsOffered | Should -BeTrue
                @($result.CapabilitiesBeforeTls -match "^$Keyword$").Count | Should -Be 1
            }
        }
    }

    Context 'LDAP, PostgreSQL and MySQL' {

        It '<Protocol> on <PortKey> (implicit TLS: <Implicit>)' -ForEach @(
            @{ Protocol = 'Ldap'; PortKey = 'LAB_LDAP_PORT'; Implicit = $false; Keyword = '1\.3\.6\.1\.4\.1\.1466\.20037' }
            @{ Protocol = 'Ldap'; PortKey = 'LAB_LDAPS_PORT'; Implicit = $true; Keyword = $null }
            @{ Protocol = 'PostgreSql'; PortKey = 'LAB_POSTGRESQL_PORT'; Implicit = $false; Keyword = $null }
            @{ Protocol = 'MySql'; PortKey = 'LAB_MYSQL_PORT'; Implicit = $false; Keyword = 'CLIENT_SSL' }
        ) {
            $result = Test-StartTls -HostName localhost -Protocol $Protocol -Port $Lab[$PortKey] -ImplicitTls:$Implicit `
                -TrustedRootCertificate $Ca -TimeoutSeconds 10
            $result.Status | Should -Be 'Success'
            $result.Protocol | Should -Be $Protocol
            $result.TlsVersion | Should -Be 'Tls13'
            $result.CertificateValid | Should -BeTrue
            if ($Keyword) {
                @($result.CapabilitiesBeforeTls -match "^$Keyword$").Count | Should -Be 1
            }
        }

        It 'reports NotOffered for the slapd without TLS' {
            $result = Test-StartTls -HostName localhost -Protocol Ldap -Port $Lab.LAB_LDAP_PLAIN_PORT -TimeoutSeconds 10 -ErrorAction SilentlyContinue
            $result.Status | Should -Be 'NotOffered'
            $result.StartTlsOffered | Should -BeFalse
        }
    }

    Context 'LMTP, FTP, XMPP, NNTP and ManageSieve' {

        It '<Protocol> on <PortKey> (implicit TLS: <Implicit>)' -ForEach @(
            @{ Protocol = 'Lmtp'; PortKey = 'LAB_LMTP_PORT'; Implicit = $false; Keyword = 'STARTTLS' }
            @{ Protocol = 'Ftp'; PortKey = 'LAB_FTP_PORT'; Implicit = $false; Keyword = 'AUTH TLS' }
            @{ Protocol = 'Ftp'; PortKey = 'LAB_FTPS_PORT'; Implicit = $true; Keyword = $null }
            @{ Protocol = 'Xmpp'; PortKey = 'LAB_XMPP_PORT'; Implicit = $false; Keyword = 'starttls\(required\)' }
            @{ Protocol = 'Xmpp'; PortKey = 'LAB_XMPPS_PORT'; Implicit = $true; Keyword = $null }
            @{ Protocol = 'XmppServer'; PortKey = 'LAB_XMPP_S2S_PORT'; Implicit = $false; Keyword = 'dialback' }
            @{ Protocol = 'Nntp'; PortKey = 'LAB_NNTP_PORT'; Implicit = $false; Keyword = 'STARTTLS' }
            @{ Protocol = 'Nntp'; PortKey = 'LAB_NNTPS_PORT'; Implicit = $true; Keyword = $null }
            @{ Protocol = 'ManageSieve'; PortKey = 'LAB_SIEVE_PORT'; Implicit = $false; Keyword = 'STARTTLS' }
        ) {
            $result = Test-StartTls -HostName localhost -Protocol $Protocol -Port $Lab[$PortKey] -ImplicitTls:$Implicit `
                -TrustedRootCertificate $Ca -TimeoutSeconds 10
            $result.Status | Should -Be 'Success'
            $result.Protocol | Should -Be $Protocol
            $result.TlsVersion | Should -Be 'Tls13'
            $result.CertificateValid | Should -BeTrue
            $result.CapabilitiesAfterTls | Should -Not -BeNullOrEmpty
            if ($Implicit) {
                $result.StartTlsOffered | Should -BeNullOrEmpty
            }
            else {
                $result.StartTlsOffered | Should -BeTrue
                @($result.CapabilitiesBeforeTls -match "^$Keyword$").Count | Should -Be 1
            }
        }

        It 'reports PBSZ 0 and PROT P over FTP TLS' {
            $result = Test-StartTls -HostName localhost -Protocol Ftp -Port $Lab.LAB_FTP_PORT -TrustedRootCertificate $Ca
            $result.CapabilitiesAfterTls | Should -Contain 'PBSZ 0: 200'
            $result.CapabilitiesAfterTls | Should -Contain 'PROT P: 200'
        }

        It 'reports Refused with host-unknown for an -XmppDomain the server does not host' {
            $result = Test-StartTls -HostName localhost -Protocol Xmpp -Port $Lab.LAB_XMPP_PORT -XmppDomain 'not-hosted.lab.test' `
                -TrustedRootCertificate $Ca -ErrorAction SilentlyContinue -ErrorVariable xmppErrors
            $result.Status | Should -Be 'Refused'
            $result.Reason | Should -Match 'host-unknown'
            $xmppErrors.Count | Should -Be 1
        }
    }

    Context 'Pipeline and export' {

        It 'binds HostName from a NameExchange property, as on Resolve-DnsName MX records' {
            $records = @(
                [pscustomobject]@{ NameExchange = 'localhost'; Port = $Lab.LAB_SMTP_PORT }
                [pscustomobject]@{ NameExchange = 'localhost'; Port = $Lab.LAB_SUBMISSION_PORT; Protocol = 'Submission' }
            )
            # Targets run concurrently and are written as they complete, so the results are matched by
            # port, not by position.
            $results = @($records | Test-StartTls -TrustedRootCertificate $Ca -TimeoutSeconds 10)
            $results.Count | Should -Be 2
            $smtp = @($results | Where-Object Port -eq $Lab.LAB_SMTP_PORT)
            $submission = @($results | Where-Object Port -eq $Lab.LAB_SUBMISSION_PORT)
            $smtp.Count | Should -Be 1
            $submission.Count | Should -Be 1
            $smtp[0].HostName | Should -Be 'localhost'
            $smtp[0].Protocol | Should -Be 'Smtp'
            $submission[0].HostName | Should -Be 'localhost'
            $submission[0].Protocol | Should -Be 'Submission'
            $results | ForEach-Object { $_.Status | Should -Be 'Success' }
        }

        It 'binds HostName, Protocol and Port from Import-Csv rows' {
            $csvPath = Join-Path $TestDrive 'servers.csv'
            @(
                'HostName,Protocol,Port'
                "localhost,Smtp,$($Lab.LAB_SMTP_PORT)"
                "localhost,Imap,$($Lab.LAB_IMAP_PORT)"
                "localhost,Pop3,$($Lab.LAB_POP3_PORT)"
            ) | Set-Content -LiteralPath $csvPath
            # -ThrottleLimit 1 keeps the input order that the assertion below spells out.
            $results = @(Import-Csv -LiteralPath $csvPath | Test-StartTls -TrustedRootCertificate $Ca -TimeoutSeconds 10 -ThrottleLimit 1)
            $results.Count | Should -Be 3
            ($results | ForEach-Object { "$($_.Protocol):$($_.Port):$($_.Status)" }) -join ',' |
                Should -Be "Smtp:$($Lab.LAB_SMTP_PORT):Success,Imap:$($Lab.LAB_IMAP_PORT):Success,Pop3:$($Lab.LAB_POP3_PORT):Success"
        }

        It 'round-trips through Export-Csv with lists as "; "-joined text' {
            $csvPath = Join-Path $TestDrive 'report.csv'
            $Smtp | Export-Csv -LiteralPath $csvPath -NoTypeInformation
            $rows = @(Import-Csv -LiteralPath $csvPath)
            $rows.Count | Should -Be 1
            $rows[0].PSObject.Properties.Name | Should -Contain 'CapabilitiesBeforeTls'
            $rows[0].CapabilitiesBeforeTls | Should -BeOfType ([string])
            $rows[0].CapabilitiesBeforeTls | Should -Match '(^|; )STARTTLS(; |$)'
            $rows[0].CertificateSubjectAlternativeNames | Should -Be 'DNS:localhost; DNS:mail.lab.test'
            $rows[0].Status | Should -Be 'Success'
            $rows[0].IsHealthy | Should -Be 'True'
        }

        It 'converts to JSON and back' {
            $json = $Smtp | ConvertTo-Json
            $back = $json | ConvertFrom-Json
            $back.HostName | Should -Be 'localhost'
            $back.Port | Should -Be $Lab.LAB_SMTP_PORT
            # Enums are numbers unless -EnumsAsStrings is used (PowerShell 7); the cast accepts either.
            [StartTlsTools.StartTlsStatus]$back.Status | Should -Be ([StartTlsTools.StartTlsStatus]::Success)
            $back.CapabilitiesBeforeTls | Should -Contain 'STARTTLS'
            $back.CertificateValid | Should -BeTrue
        }

        It 'shows the documented columns in the default view' {
            $text = ($Smtp | Out-String -Width 250) -replace '\e\[[0-9;]*m', ''
            $lines = @($text -split '\r?\n' | Where-Object { $_.Trim() })
            (($lines[0] -split '\s+' | Where-Object { $_ }) -join ',') |
                Should -Be 'HostName,Port,Protocol,Status,TLS,Cert,Findings,Days,CipherSuite'
            $lines[2] | Should -Match '^localhost\s+\d+\s+Smtp\s+Success\s+1\.3\s+True\s'
        }

        It 'uses the same view for Format-Table' {
            $text = ($Smtp | Format-Table | Out-String -Width 250) -replace '\e\[[0-9;]*m', ''
            $text | Should -Match 'Cert\s+Findings\s+Days'
        }
    }

    Context 'Input validation happens before any connection' {

        # 192.0.2.1 (TEST-NET-1) is never routed: a connection attempt would take the full timeout.
        It 'rejects -Port <_> with a parameter binding error' -ForEach @(0, 70000) {
            $port = $_
            { Test-StartTls -HostName 192.0.2.1 -Port $port -TimeoutSeconds 30 } |
                Should -Throw -ExceptionType ([System.Management.Automation.ParameterBindingException]) -ErrorId 'ParameterArgumentValidationError,StartTlsTools.Commands.TestStartTlsCommand'
        }

        It 'rejects -TimeoutSeconds <_> with a parameter binding error' -ForEach @(0, 601) {
            $timeout = $_
            { Test-StartTls -HostName 192.0.2.1 -TimeoutSeconds $timeout } |
                Should -Throw -ExceptionType ([System.Management.Automation.ParameterBindingException]) -ErrorId 'ParameterArgumentValidationError,StartTlsTools.Commands.TestStartTlsCommand'
        }

        It 'rejects a malformed host name with an InvalidParameter error and no result' {
            $result = Test-StartTls -HostName 'bad host name' -TimeoutSeconds 30 -ErrorVariable errors -ErrorAction SilentlyContinue
            $result | Should -BeNullOrEmpty
            $errors.Count | Should -Be 1
            $errors[0].FullyQualifiedErrorId | Should -BeLike 'InvalidParameter,*'
            $errors[0].CategoryInfo.Category | Should -Be 'InvalidArgument'
        }

        It 'returns $false for a malformed host name with -Quiet, after the InvalidParameter error' {
            $quiet = Test-StartTls -HostName 'bad host name' -Quiet -ErrorVariable errors -ErrorAction SilentlyContinue
            $quiet | Should -BeOfType ([bool])
            $quiet | Should -BeFalse
            $errors[0].FullyQualifiedErrorId | Should -BeLike 'InvalidParameter,*'
        }
    }
}
