#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0.0' }
<#
    Compare-ImplicitVsStartTls end to end, in PowerShell, against the integration lab (tests/lab/up.sh):
    Postfix 587/465 and Dovecot 143/993 and 110/995 (lab ports), one certificate for all of them.

        Invoke-Pester -Path tests/Pester/Compare-ImplicitVsStartTls.Tests.ps1 -Output Detailed
#>

Describe 'Compare-ImplicitVsStartTls against the integration lab' {

    BeforeAll {
        . (Join-Path $PSScriptRoot 'Common.ps1')
    }

    AfterAll {
        Remove-Module -Name StartTlsTools -ErrorAction SilentlyContinue
    }

    It 'rejects -Samples outside 1 to 100 in parameter binding' {
        { Compare-ImplicitVsStartTls -HostName 127.0.0.1 -Samples 0 -ErrorAction Stop } |
            Should -Throw -ExceptionType ([System.Management.Automation.ParameterBindingException])
    }

    It 'compares <Protocol> <StartTlsKey> with <ImplicitKey>' -ForEach @(
        @{ Protocol = 'Submission'; StartTlsKey = 'LAB_SUBMISSION_PORT'; ImplicitKey = 'LAB_SMTPS_PORT'; Software = 'Postfix'; Rfc = 'RFC 8314 section 3.3' }
        @{ Protocol = 'Imap'; StartTlsKey = 'LAB_IMAP_PORT'; ImplicitKey = 'LAB_IMAPS_PORT'; Software = 'Dovecot'; Rfc = 'RFC 8314 section 3.2' }
        @{ Protocol = 'Pop3'; StartTlsKey = 'LAB_POP3_PORT'; ImplicitKey = 'LAB_POP3S_PORT'; Software = 'Dovecot'; Rfc = 'RFC 8314 section 3.1' }
    ) {
        $c = Compare-ImplicitVsStartTls -HostName localhost -Protocol $Protocol -Port $Lab[$StartTlsKey] -ImplicitPort $Lab[$ImplicitKey] `
            -Samples 2 -EhloName client.lab.test -TrustedRootCertificate $Ca
        $c.StartTlsReachable | Should -BeTrue
        $c.ImplicitReachable | Should -BeTrue
        $c.SameCertificate | Should -BeTrue
        $c.StartTlsCertificateThumbprint | Should -Be $c.ImplicitCertificateThumbprint
        $c.StartTlsTlsVersion | Should -Be 'Tls13'
        $c.ImplicitTlsVersion | Should -Be 'Tls13'
        $c.ImplicitPlaintextBytesSent | Should -Be 0
        $c.ImplicitPlaintextBytesReceived | Should -Be 0
        $c.ImplicitRoundTrips | Should -Be 0
        $c.StartTlsRoundTrips | Should -BeGreaterThan 0
        $c.StartTlsExposedSoftware | Should -Be $Software
        $c.StartTlsExposedBanner | Should -Match $Software
        $c.Recommendation | Should -Match ([regex]::Escape($Rfc))
    }

    It 'writes one CSV row with both sides' {
        $csv = Compare-ImplicitVsStartTls -HostName localhost -Protocol Imap -Port $Lab.LAB_IMAP_PORT -ImplicitPort $Lab.LAB_IMAPS_PORT `
            -Samples 1 -TrustedRootCertificate $Ca | ConvertTo-Csv -NoTypeInformation
        @($csv).Count | Should -Be 2
        $csv[0] | Should -Match '"StartTlsMedianMs"'
        $csv[0] | Should -Match '"ImplicitMedianMs"'
    }
}
