#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0.0' }
<#
    The default views as a console shows them: every result type's table at 120 and 80 columns and its list
    view, rendered by the real formatter (Out-String -Width), against the lab.
#>

BeforeDiscovery {
    $widths = @(120, 80)
}

BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')

    # Header line, then the dashes line right under it: a header that wrapped would leave text between them.
    function Get-TableShape {
        param([Parameter(Mandatory)] [string]$Text)
        $lines = @($Text -split '\r?\n' | Where-Object { $_.Trim() -ne '' })
        $dashIndex = [array]::FindIndex($lines, [Predicate[string]] { param($l) $l -match '^\s*-{2,}' })
        if ($dashIndex -lt 1) { throw "No table header in:`n$Text" }
        [pscustomobject]@{
            Header      = $lines[$dashIndex - 1]
            Columns     = @($lines[$dashIndex - 1] -split '\s+' | Where-Object { $_ })
            Lines       = $lines
        }
    }

    $Smtp = Test-StartTls -HostName localhost -Port (Get-LabPort SMTP) -TrustedRootCertificate $Ca -EhloName client.lab.test
    $Plain = Test-StartTls -HostName localhost -Port (Get-LabPort SMTP_PLAIN) -EhloName client.lab.test -ErrorAction SilentlyContinue
    $Results = @($Smtp, $Plain)
    $Suites = @(Get-TlsCapability -HostName localhost -Port (Get-LabPort LEGACY_SMTPS) -ImplicitTls -EhloName client.lab.test)
    $Summary = Get-TlsCapability -HostName localhost -Port (Get-LabPort LEGACY_SMTPS) -ImplicitTls -EhloName client.lab.test -Summary
    $Injection = Test-StartTlsInjection -HostName localhost -Port (Get-LabPort SMTP) -EhloName client.lab.test -WaitSeconds 1 -TrustedRootCertificate $Ca
    $Auth = Invoke-SmtpAuthPlain -HostName localhost -Port (Get-LabPort SUBMISSION) -Credential $LabCredential -TrustedRootCertificate $Ca -EhloName client.lab.test
    $Comparison = Compare-ImplicitVsStartTls -HostName localhost -Port (Get-LabPort SUBMISSION) -ImplicitPort (Get-LabPort SMTPS) -Samples 1 -TrustedRootCertificate $Ca -EhloName client.lab.test

    $Tables = @{
        StartTlsResult          = @{ Objects = $Results; At80 = 'HostName', 'Port', 'Protocol', 'Status', 'TLS', 'Cert', 'Findings'; At120 = 'Days', 'CipherSuite' }
        TlsCipherSuiteResult    = @{ Objects = $Suites; At80 = 'Version', 'Rank', 'CipherSuite', 'Rating', 'Bits', 'FS'; At120 = 'Code', 'KeyExchange' }
        TlsCapabilitySummary    = @{ Objects = @($Summary); At80 = 'HostName', 'Port', 'Status', 'Highest', 'Weakest', 'Findings'; At120 = 'Cert', 'Suites', 'Lowest', 'Conns', 'Untested' }
        StartTlsInjectionResult = @{ Objects = @($Injection); At80 = 'HostName', 'Port', 'Protocol', 'Verdict', 'Sanity', 'Evidence'; At120 = @() }
        SmtpAuthResult          = @{ Objects = @($Auth); At80 = 'HostName', 'Port', 'UserName', 'Status', 'Reply', 'TLS'; At120 = 'Cert', 'Enhanced', 'Mechanisms' }
        Finding                 = @{ Objects = @($Plain.Findings); At80 = 'Severity', 'Id', 'Title'; At120 = 'Reference' }
    }
}

Describe 'Default table views' {

    It '<Type> fits <Width> columns with an unwrapped header' -ForEach @(
        foreach ($type in 'StartTlsResult', 'TlsCipherSuiteResult', 'TlsCapabilitySummary', 'StartTlsInjectionResult', 'SmtpAuthResult', 'Finding') {
            foreach ($width in $widths) { @{ Type = $type; Width = $width } }
        }
    ) {
        $table = $Tables[$Type]
        $table.Objects | Should -Not -BeNullOrEmpty
        $text = $table.Objects | Format-Table | Out-String -Width $Width
        $shape = Get-TableShape -Text $text
        foreach ($line in $shape.Lines) { $line.TrimEnd().Length | Should -BeLessOrEqual $Width -Because "a $Width-column console shows: $line" }
        $expected = if ($Width -ge 120) { $table.At80 + $table.At120 } else { $table.At80 }
        $shape.Columns | Should -Be $expected
    }

    It 'Test-StartTls shows the worst finding severity and the TLS version in short form' {
        $text = $Results | Out-String -Width 120
        $text | Should -Match "(?m)^localhost\s+$(Get-LabPort SMTP) Smtp\s+Success\s+1\.3\s+True\s+-\s+\d+ TLS_"
        $text | Should -Match "(?m)^localhost\s+$(Get-LabPort SMTP_PLAIN) Smtp\s+NotOffered\s+High"
    }

    It 'Get-TlsCapability groups its rows by server, so no row repeats the host' {
        $text = $Suites | Out-String -Width 120
        @([regex]::Matches($text, 'Server: localhost:\d+ \(Smtp, implicit TLS\)')).Count | Should -Be 1
        $text | Should -Match '(?m)^TLSv1\.0\s+1 TLS_'
    }

    It 'Compare-ImplicitVsStartTls defaults to its side-by-side list and has a table for Format-Table' {
        $list = $Comparison | Out-String -Width 120
        $list | Should -Match 'Mode\s+:\s+STARTTLS, port \d+\s+Implicit TLS, port \d+'
        $table = $Comparison | Format-Table | Out-String -Width 120
        (Get-TableShape -Text $table).Columns | Should -Be 'HostName', 'Protocol', 'STARTTLS', 'Implicit', 'StartTlsMs', 'ImplicitMs', 'SameCert', 'Recommendation'
        (Get-TableShape -Text ($Comparison | Format-Table | Out-String -Width 80)).Columns |
            Should -Be 'HostName', 'Protocol', 'STARTTLS', 'Implicit', 'StartTlsMs', 'ImplicitMs', 'SameCert'
    }
}

Describe 'List views for Format-List' {

    It 'Test-StartTls lists each finding on its own line with severity, id and title' {
        $text = $Plain | Format-List | Out-String -Width 120
        $text | Should -Match '(?m)^Findings\s+: High: StartTlsNotOffered - STARTTLS is not offered'
        $text | Should -Match '(?m)^Reason\s+: The server did not advertise STARTTLS'
        $text | Should -Match '(?m)^Timings\s+: connect \d+ ms, greeting \d+ ms, total \d+ ms$'
    }

    It 'Test-StartTls shows the certificate and both capability lists as text, never a type name' {
        $text = $Smtp | Format-List | Out-String -Width 200
        $text | Should -Match '(?m)^CertificateSubjectAlternativeNames\s+: DNS:localhost; DNS:mail\.lab\.test'
        $text | Should -Match '(?m)^CapabilitiesBeforeTls\s+: .*STARTTLS'
        $text | Should -Match '(?m)^CertificateKey\s+: RSA 2048 bits'
        $text | Should -Not -Match 'StartTlsTools\.\w+|System\.\w+\[\]'
        $text | Should -Not -Match '(?m)^Transcript'
    }

    It 'the transcript appears in the list only when it was asked for' {
        $withTranscript = Test-StartTls -HostName localhost -Port (Get-LabPort SMTP) -TrustedRootCertificate $Ca -EhloName client.lab.test -IncludeTranscript
        ($withTranscript | Format-List | Out-String -Width 200) | Should -Match '(?m)^Transcript\s+: .*220'
    }

    It '<Name> has its own list view' -ForEach @(
        @{ Name = 'TlsCapabilitySummary'; Pattern = '(?m)^VersionsAccepted\s+: TLSv1\.0; TLSv1\.1; TLSv1\.2; TLSv1\.3' }
        @{ Name = 'TlsCipherSuiteResult'; Pattern = '(?m)^OpenSslName\s+: \S+' }
        @{ Name = 'StartTlsInjectionResult'; Pattern = '(?m)^InjectedCommand\s+: \S+' }
        @{ Name = 'SmtpAuthResult'; Pattern = '(?m)^EnhancedStatusCode\s+: 2\.7\.0' }
    ) {
        $object = switch ($Name) {
            'TlsCapabilitySummary' { $Summary }
            'TlsCipherSuiteResult' { $Suites[0] }
            'StartTlsInjectionResult' { $Injection }
            'SmtpAuthResult' { $Auth }
        }
        ($object | Format-List | Out-String -Width 200) | Should -Match $Pattern
    }

    It 'the capability summary lists its findings one per line' {
        $text = $Summary | Format-List | Out-String -Width 200
        $text | Should -Match '(?m)^Findings\s+: High: TlsLegacyVersionAccepted - '
        $text | Should -Match '(?m)^\s+\w+: CipherSuites\w+Accepted - '
    }
}
