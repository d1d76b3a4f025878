#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0.0' }
<#
    The objects at the edge of the pipeline: Export-Csv round trips with readable cells, ConvertTo-Json keeps
    lists as arrays, binding by property name from Import-Csv rows and [pscustomobject]s, and one object type
    per pipeline. Against the lab.
#>

BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')

    $Csv = Join-Path ([System.IO.Path]::GetTempPath()) ("starttlstools-pester-{0}.csv" -f [guid]::NewGuid())

    # Every cell of an exported object, as Import-Csv reads it back.
    function ConvertTo-CsvRoundTrip {
        param([Parameter(Mandatory, ValueFromPipeline)] [object[]]$InputObject)
        begin { $all = [System.Collections.Generic.List[object]]::new() }
        process { $all.AddRange($InputObject) }
        end {
            $all | Export-Csv -LiteralPath $Csv -NoTypeInformation
            Import-Csv -LiteralPath $Csv
        }
    }

    function Get-TypeNameCell {
        param([Parameter(Mandatory)] [object[]]$Rows)
        foreach ($row in $Rows) {
            foreach ($p in $row.PSObject.Properties) {
                if ($p.Value -match '^(System|StartTlsTools)\.[\w.]+(\[\])?$' -or $p.Value -match '\[\]$') { "$($p.Name)=$($p.Value)" }
            }
        }
    }

    $Smtp = Test-StartTls -HostName localhost -Port (Get-LabPort SMTP) -TrustedRootCertificate $Ca -EhloName client.lab.test
    $Plain = Test-StartTls -HostName localhost -Port (Get-LabPort SMTP_PLAIN) -EhloName client.lab.test -ErrorAction SilentlyContinue
}

AfterAll {
    Remove-Item -LiteralPath $Csv -ErrorAction SilentlyContinue
}

Describe 'Export-Csv' {

    It 'Test-StartTls round-trips through Import-Csv with no type name in any cell' {
        $rows = @($Smtp, $Plain | ConvertTo-CsvRoundTrip)
        $rows.Count | Should -Be 2
        Get-TypeNameCell -Rows $rows | Should -BeNullOrEmpty
        $rows[0].HostName | Should -Be 'localhost'
        $rows[0].Port | Should -Be ([string](Get-LabPort SMTP))
        $rows[0].Status | Should -Be 'Success'
        $rows[0].CapabilitiesBeforeTls | Should -Match '(^|; )STARTTLS(; |$)'
        $rows[0].CertificateSubjectAlternativeNames | Should -Be 'DNS:localhost; DNS:mail.lab.test'
        $rows[1].Status | Should -Be 'NotOffered'
        $rows[1].Findings | Should -Be $Plain.FindingIds
        $rows[1].Findings | Should -Match '(^|; )StartTlsNotOffered(; |$)'
    }

    It 'Get-TlsCapability rows and the summary each export readable cells' {
        $suites = @(Get-TlsCapability -HostName localhost -Port (Get-LabPort SMTP) -EhloName client.lab.test | ConvertTo-CsvRoundTrip)
        $suites.Count | Should -BeGreaterThan 2
        Get-TypeNameCell -Rows $suites | Should -BeNullOrEmpty
        $suites[0].TlsVersion | Should -Be 'TLSv1.3'
        $suites[0].Code | Should -Match '^0x[0-9A-F]{4}$'

        $summary = @(Get-TlsCapability -HostName localhost -Port (Get-LabPort LEGACY_SMTP) -EhloName client.lab.test -Summary -TrustedRootCertificate $Ca | ConvertTo-CsvRoundTrip)
        $summary.Count | Should -Be 1
        Get-TypeNameCell -Rows $summary | Should -BeNullOrEmpty
        $summary[0].VersionsAccepted | Should -Be 'TLSv1.0; TLSv1.1; TLSv1.2; TLSv1.3'
        $summary[0].Findings | Should -Match '(^|; )TlsLegacyVersionAccepted(; |$)'
        $summary[0].CertificateValid | Should -Be 'True'
    }

    It 'Test-StartTlsInjection, Invoke-SmtpAuthPlain and Compare-ImplicitVsStartTls export readable cells' {
        $rows = @(
            Test-StartTlsInjection -HostName localhost -Port (Get-LabPort SMTP) -EhloName client.lab.test -WaitSeconds 1 -TrustedRootCertificate $Ca
        ) | ConvertTo-CsvRoundTrip
        Get-TypeNameCell -Rows @($rows) | Should -BeNullOrEmpty
        $rows.Verdict | Should -Be 'NotVulnerable'

        $rows = Invoke-SmtpAuthPlain -HostName localhost -Port (Get-LabPort SUBMISSION) -Credential $LabCredential -TrustedRootCertificate $Ca -EhloName client.lab.test | ConvertTo-CsvRoundTrip
        Get-TypeNameCell -Rows @($rows) | Should -BeNullOrEmpty
        $rows.Status | Should -Be 'Succeeded'
        $rows.MechanismsAfterTls | Should -Match '(^|; )PLAIN(; |$)'

        $rows = Compare-ImplicitVsStartTls -HostName localhost -Port (Get-LabPort SUBMISSION) -ImplicitPort (Get-LabPort SMTPS) -Samples 1 -TrustedRootCertificate $Ca -EhloName client.lab.test | ConvertTo-CsvRoundTrip
        Get-TypeNameCell -Rows @($rows) | Should -BeNullOrEmpty
        $rows.SameCertificate | Should -Be 'True'
    }
}

Describe 'ConvertTo-Json' {

    It 'keeps findings as an array of objects with every field' {
        # PowerShell writes enums as numbers unless asked for names (-EnumsAsStrings, PowerShell 7).
        ($Plain | ConvertTo-Json -Depth 5 | ConvertFrom-Json).Status | Should -Be ([int][StartTlsTools.StartTlsStatus]::NotOffered)
        $json = $Plain | ConvertTo-Json -Depth 5 -EnumsAsStrings
        $back = $json | ConvertFrom-Json
        $back.Status | Should -Be 'NotOffered'
        @($back.Findings).Count | Should -Be $Plain.Findings.Count
        $finding = @($back.Findings) | Where-Object Id -EQ 'StartTlsNotOffered'
        $finding.Severity | Should -Be 'High'
        $finding.Title | Should -Not -BeNullOrEmpty
        $finding.Detail | Should -Not -BeNullOrEmpty
        $finding.Reference | Should -Match 'RFC 3207'
        # Lists are JSON arrays (TextList), one item per capability.
        $json | Should -Match '"CapabilitiesBeforeTls": \['
        , $back.CapabilitiesBeforeTls | Should -BeOfType ([object[]])
        $back.CapabilitiesBeforeTls | Should -Contain 'PIPELINING'
        $back.CapabilitiesBeforeTls.Count | Should -Be $Plain.CapabilitiesBeforeTls.Count
        $back.FindingIds | Should -Be $Plain.FindingIds
    }

    It 'writes valid JSON for a whole capability scan' {
        $json = Get-TlsCapability -HostName localhost -Port (Get-LabPort SMTP) -EhloName client.lab.test | ConvertTo-Json -Depth 5
        $back = @($json | ConvertFrom-Json)
        $back.Count | Should -BeGreaterThan 2
        $back[0].CipherSuite | Should -Match '^TLS_'
    }
}

Describe 'Binding by property name' {

    It 'Import-Csv rows with HostName, Port and Protocol bind to Test-StartTls' {
        @(
            [pscustomobject]@{ HostName = 'localhost'; Port = Get-LabPort SMTP; Protocol = 'Smtp' }
            [pscustomobject]@{ HostName = 'localhost'; Port = Get-LabPort IMAP; Protocol = 'Imap' }
            [pscustomobject]@{ HostName = 'localhost'; Port = Get-LabPort LDAP; Protocol = 'Ldap' }
        ) | Export-Csv -LiteralPath $Csv -NoTypeInformation
        # -ThrottleLimit 1: one at a time, so the results keep the input order asserted below.
        $results = @(Import-Csv -LiteralPath $Csv | Test-StartTls -TrustedRootCertificate $Ca -EhloName client.lab.test -ThrottleLimit 1)
        $results.Count | Should -Be 3
        $results.Protocol | Should -Be 'Smtp', 'Imap', 'Ldap'
        $results.Port | Should -Be (Get-LabPort SMTP), (Get-LabPort IMAP), (Get-LabPort LDAP)
        $results.Status | Should -Be 'Success', 'Success', 'Success'
    }

    It '[pscustomobject]s bind through the NameExchange and ComputerName aliases' {
        $mx = [pscustomobject]@{ NameExchange = 'localhost'; Port = Get-LabPort SMTP }
        $host2 = [pscustomobject]@{ ComputerName = 'localhost'; Port = Get-LabPort POP3; Protocol = 'Pop3' }
        # Results come as targets complete: sort by protocol name (Sort-Object on the enum sorts by value).
        $results = @($mx, $host2 | Test-StartTls -TrustedRootCertificate $Ca -EhloName client.lab.test | Sort-Object { [string]$_.Protocol })
        $results.HostName | Should -Be 'localhost', 'localhost'
        $results.Protocol | Should -Be 'Pop3', 'Smtp'
        $results.Status | Should -Be 'Success', 'Success'
    }

    It 'the same rows bind to Get-TlsCapability and Test-StartTlsInjection' {
        $row = [pscustomobject]@{ NameExchange = 'localhost'; Port = Get-LabPort SMTP; Protocol = 'Smtp' }
        $summary = $row | Get-TlsCapability -EhloName client.lab.test -Summary
        $summary.Port | Should -Be (Get-LabPort SMTP)
        $summary.Status | Should -Be 'Success'
        $verdict = $row | Test-StartTlsInjection -EhloName client.lab.test -WaitSeconds 1 -TrustedRootCertificate $Ca
        $verdict.Port | Should -Be (Get-LabPort SMTP)
        $verdict.Verdict | Should -Be 'NotVulnerable'
    }

    It 'Compare-ImplicitVsStartTls binds HostName, Protocol, Port and ImplicitPort' {
        $row = [pscustomobject]@{ HostName = 'localhost'; Protocol = 'Imap'; Port = Get-LabPort IMAP; ImplicitPort = Get-LabPort IMAPS }
        $c = $row | Compare-ImplicitVsStartTls -Samples 1 -TrustedRootCertificate $Ca
        $c.StartTlsPort | Should -Be (Get-LabPort IMAP)
        $c.ImplicitPort | Should -Be (Get-LabPort IMAPS)
        $c.StartTlsReachable | Should -BeTrue
        $c.ImplicitReachable | Should -BeTrue
    }

    It 'Invoke-SmtpAuthPlain binds HostName and Port' {
        $row = [pscustomobject]@{ HostName = 'localhost'; Port = Get-LabPort SUBMISSION }
        $r = $row | Invoke-SmtpAuthPlain -Credential $LabCredential -TrustedRootCertificate $Ca -EhloName client.lab.test
        $r.Port | Should -Be (Get-LabPort SUBMISSION)
        $r.Succeeded | Should -BeTrue
    }

    It 'a test result binds into another cmdlet by its HostName, Port and Protocol' {
        $again = $Smtp | Test-StartTlsInjection -EhloName client.lab.test -WaitSeconds 1 -TrustedRootCertificate $Ca
        $again.HostName | Should -Be $Smtp.HostName
        $again.Port | Should -Be $Smtp.Port
    }
}

Describe 'One object type per pipeline' {

    It 'Get-TlsCapability writes only suite rows by default and only the summary with -Summary' {
        $rows = @(Get-TlsCapability -HostName localhost -Port (Get-LabPort SMTP) -EhloName client.lab.test)
        @($rows | ForEach-Object { $_.GetType().FullName } | Sort-Object -Unique) | Should -Be 'StartTlsTools.TlsCipherSuiteResult'
        $summary = @(Get-TlsCapability -HostName localhost -Port (Get-LabPort SMTP) -EhloName client.lab.test -Summary)
        $summary.Count | Should -Be 1
        $summary[0].GetType().FullName | Should -Be 'StartTlsTools.TlsCapabilitySummary'
        $summary[0].CipherSuitesAccepted | Should -Be $rows.Count
    }

    It '-Quiet writes only Booleans, in its own parameter set' {
        $quiet = @(Test-StartTls -HostName localhost -Port (Get-LabPort SMTP) -TrustedRootCertificate $Ca -EhloName client.lab.test -Quiet
                   Test-StartTls -HostName localhost -Port (Get-LabPort SMTP_PLAIN) -EhloName client.lab.test -Quiet)
        $quiet | Should -Be $true, $false
        { Test-StartTls -HostName localhost -Quiet -IncludeTranscript } | Should -Throw -ErrorId 'AmbiguousParameterSet,StartTlsTools.Commands.TestStartTlsCommand'
        (Get-Command Test-StartTls).OutputType.Type | Should -Contain ([bool])
        ((Get-Command Test-StartTls).ParameterSets | Where-Object Name -EQ 'Quiet').Parameters.Name | Should -Contain 'Quiet'
    }
}
