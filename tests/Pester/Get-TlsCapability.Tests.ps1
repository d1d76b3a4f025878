#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0.0' }
<#
    Get-TlsCapability end to end, in PowerShell, against the integration lab (tests/lab/up.sh):
    the normal Postfix (TLS 1.2 and 1.3 only) and the legacy Postfix (TLS 1.0 to 1.3, wide cipher list).

    Needs: the module built into out/StartTlsTools (dotnet build) and the lab running.

        Invoke-Pester -Path tests/Pester/Get-TlsCapability.Tests.ps1 -Output Detailed
#>

Describe 'Get-TlsCapability against the integration lab' {

    BeforeAll {
        . (Join-Path $PSScriptRoot 'Common.ps1')
        foreach ($name in 'SMTP', 'SMTP_PLAIN', 'LEGACY_SMTP', 'LEGACY_SMTPS') { $null = Get-LabPort $name }

        # One type per pipeline: the suites by default, only the summary with -Summary.
        $ModernSuites = @(Get-TlsCapability -HostName localhost -Port $Lab.LAB_SMTP_PORT -EhloName client.lab.test)
        $ModernSummary = Get-TlsCapability -HostName localhost -Port $Lab.LAB_SMTP_PORT -EhloName client.lab.test -Summary
        $LegacySuites = @(Get-TlsCapability -HostName localhost -Port $Lab.LAB_LEGACY_SMTPS_PORT -ImplicitTls -EhloName client.lab.test)
        $LegacySummary = Get-TlsCapability -HostName localhost -Port $Lab.LAB_LEGACY_SMTPS_PORT -ImplicitTls -EhloName client.lab.test -Summary
    }

    AfterAll {
        Remove-Module -Name StartTlsTools -ErrorAction SilentlyContinue
    }

    It 'declares one output type per parameter set' {
        $names = @((Get-Command -Name Get-TlsCapability).OutputType | ForEach-Object { $_.Name })
        $names | Should -Contain 'StartTlsTools.TlsCipherSuiteResult'
        $names | Should -Contain 'StartTlsTools.TlsCapabilitySummary'
        (Get-Command -Name Get-TlsCapability).DefaultParameterSet | Should -Be 'Suites'
    }

    It 'finds exactly TLS 1.2 and 1.3 on the normal Postfix' {
        $summary = $ModernSummary
        $summary.Status | Should -Be 'Success'
        $summary.VersionsAccepted | Should -Be 'TLSv1.2; TLSv1.3'
        $suites = $ModernSuites
        @($suites | Select-Object -ExpandProperty TlsVersion -Unique | Sort-Object) -join ',' | Should -Be 'TLSv1.2,TLSv1.3'
        $suites.CipherSuite | Should -Contain 'TLS_AES_256_GCM_SHA384'
        $summary.ConnectionsOpened | Should -BeGreaterThan $suites.Count
    }

    It 'finds TLS 1.0 on the legacy server over implicit TLS' {
        $LegacySummary.Status | Should -Be 'Success'
        $LegacySummary.VersionsAccepted | Should -Match 'TLSv1\.0'
        @($LegacySuites | Where-Object { $_.TlsVersion -eq 'TLSv1.0' }).Count | Should -BeGreaterThan 0
        $LegacySummary.CipherSuitesAccepted | Should -Be $LegacySuites.Count
    }

    It 'writes flat objects that export to CSV' {
        $csv = $ModernSuites | ConvertTo-Csv -NoTypeInformation
        $csv[0] | Should -Match '"TlsVersion"'
        $csv[0] | Should -Match '"PreferenceRank"'
        $csv.Count | Should -BeGreaterThan 2
    }

    It 'reports a server without STARTTLS with a stable error id' {
        $out = @(Get-TlsCapability -HostName localhost -Port $Lab.LAB_SMTP_PLAIN_PORT -EhloName client.lab.test -Summary -ErrorVariable errs -ErrorAction SilentlyContinue)
        $out.Count | Should -Be 1
        $out[0].Status | Should -Be 'NotOffered'
        $errs[0].FullyQualifiedErrorId | Should -BeLike 'StartTlsNotOffered,*'
    }

    It 'rejects an invalid host name before connecting' {
        $out = @(Get-TlsCapability -HostName 'bad host' -ErrorVariable errs -ErrorAction SilentlyContinue)
        $out.Count | Should -Be 0
        $errs[0].FullyQualifiedErrorId | Should -BeLike 'InvalidParameter,*'
    }
}
