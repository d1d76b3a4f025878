#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0.0' }
<#
    Test-StartTlsInjection end to end, in PowerShell, against the integration lab (tests/lab/up.sh):
    the lab's Postfix and Dovecot are fixed servers and must come out NotVulnerable.
    (A deliberately vulnerable server lives in the xunit tests: Injection/FakeStartTlsServer.cs.)

    Needs: the module built into out/StartTlsTools (dotnet build) and the lab running.
    The lab's state directory is $env:STARTTLS_LAB_DIR, or /tmp/starttlstools-lab.
#>

Describe 'Test-StartTlsInjection against the integration lab' {

    BeforeAll {
        . (Join-Path $PSScriptRoot 'Common.ps1')
    }

    AfterAll {
        Remove-Module -Name StartTlsTools -ErrorAction SilentlyContinue
    }

    It 'finds <Protocol> on the lab NotVulnerable' -ForEach @(
        @{ Protocol = 'Smtp'; PortKey = 'LAB_SMTP_PORT' }
        @{ Protocol = 'Imap'; PortKey = 'LAB_IMAP_PORT' }
        @{ Protocol = 'Pop3'; PortKey = 'LAB_POP3_PORT' }
    ) {
        $result = Test-StartTlsInjection -HostName localhost -Protocol $Protocol -Port $Lab[$PortKey] -EhloName client.lab.test -WaitSeconds 1
        $result | Should -BeOfType ([StartTlsTools.StartTlsInjectionResult])
        $result.Verdict | Should -Be 'NotVulnerable'
        $result.SanityCheck | Should -Be 'Success'
        $result.Evidence | Should -BeNullOrEmpty
        $result.InjectedCommand | Should -Not -BeNullOrEmpty
    }

    It 'returns $true with -Quiet for a server that is not vulnerable' {
        Test-StartTlsInjection -HostName localhost -Port $Lab.LAB_SMTP_PORT -EhloName client.lab.test -WaitSeconds 1 -Quiet | Should -BeTrue
    }

    It 'is Inconclusive, with a StartTlsNotOffered error, where STARTTLS is not offered' {
        $result = Test-StartTlsInjection -HostName localhost -Port $Lab.LAB_SMTP_PLAIN_PORT -EhloName client.lab.test -ErrorAction SilentlyContinue -ErrorVariable probeErrors
        $result.Verdict | Should -Be 'Inconclusive'
        $result.SanityCheck | Should -Be 'NotOffered'
        $probeErrors.Count | Should -Be 1
        $probeErrors[0].FullyQualifiedErrorId | Should -BeLike 'StartTlsNotOffered,*'
    }

    It 'rejects <Case> before connecting' -ForEach @(
        @{ Case = 'a bad host name'; Arguments = @{ HostName = 'bad host!' } }
        @{ Case = 'a bad EHLO name'; Arguments = @{ HostName = 'localhost'; EhloName = 'bad name' } }
    ) {
        $result = Test-StartTlsInjection @Arguments -ErrorAction SilentlyContinue -ErrorVariable probeErrors
        $result | Should -BeNullOrEmpty
        $probeErrors[0].FullyQualifiedErrorId | Should -BeLike 'InvalidParameter,*'
        $probeErrors[0].CategoryInfo.Category | Should -Be 'InvalidArgument'
    }

    It 'rejects -WaitSeconds <Wait> in parameter binding' -ForEach @(@{ Wait = 0 }, @{ Wait = 61 }) {
        { Test-StartTlsInjection -HostName localhost -WaitSeconds $Wait -ErrorAction Stop } |
            Should -Throw -ErrorId 'ParameterArgumentValidationError,StartTlsTools.Commands.TestStartTlsInjectionCommand'
    }
}
