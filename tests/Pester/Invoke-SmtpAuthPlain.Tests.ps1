#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0.0' }
<#
    Invoke-SmtpAuthPlain end to end, in PowerShell, against the integration lab (tests/lab/up.sh): Postfix
    submission (STARTTLS, AUTH after TLS through Dovecot SASL), SMTPS, and a plaintext-only port that offers AUTH.
    The lab user's password is read from LAB_PASSWORD_FILE and never printed.

    Needs: the module built into out/StartTlsTools (dotnet build) and the lab running.

        Invoke-Pester -Path tests/Pester/Invoke-SmtpAuthPlain.Tests.ps1 -Output Detailed
#>

Describe 'Invoke-SmtpAuthPlain against the integration lab' {

    BeforeAll {
        . (Join-Path $PSScriptRoot 'Common.ps1')
        foreach ($name in 'SUBMISSION', 'SMTPS', 'SUBMISSION_PLAIN') { $null = Get-LabPort $name }
        $Credential = $LabCredential
        $Password = $LabCredential.GetNetworkCredential().Password
        $Common = @{ HostName = 'localhost'; EhloName = 'client.lab.test'; TrustedRootCertificate = $Ca; TimeoutSeconds = 10 }
        $SecretForms = @(
            $Password,
            [Convert]::ToBase64String([Text.Encoding]::UTF8.GetBytes($Password)),
            [Convert]::ToBase64String([Text.Encoding]::UTF8.GetBytes("`0$($Lab.LAB_USER)`0$Password"))
        )
    }

    AfterAll {
        Remove-Module -Name StartTlsTools -ErrorAction SilentlyContinue
    }

    Context 'Command surface' {
        It 'declares SmtpAuthResult as its output type' {
            (Get-Command -Name Invoke-SmtpAuthPlain).OutputType.Name | Should -Contain 'StartTlsTools.SmtpAuthResult'
        }

        It 'makes -Credential a mandatory PSCredential' {
            $parameter = (Get-Command -Name Invoke-SmtpAuthPlain).Parameters['Credential']
            $parameter.ParameterType | Should -Be ([pscredential])
            $parameter.Attributes.Where({ $_ -is [System.Management.Automation.ParameterAttribute] }).Mandatory | Should -Contain $true
        }
    }

    Context 'Against Postfix' {
        It 'authenticates the lab user on submission with STARTTLS' {
            $result = Invoke-SmtpAuthPlain @Common -Port $Lab.LAB_SUBMISSION_PORT -Credential $Credential
            $result.Status | Should -Be 'Succeeded'
            $result.ReplyCode | Should -Be 235
            $result.EnhancedStatusCode | Should -Be '2.7.0'
            $result.TlsVersion | Should -Be 'Tls13'
            $result.CertificateValid | Should -BeTrue
            $result.MechanismsAfterTls | Should -Contain 'PLAIN'
        }

        It 'reports 535 5.7.8 for a wrong password as a stable error' {
            $wrong = [pscredential]::new($Lab.LAB_USER, (ConvertTo-SecureString -String ('wrong-' + [guid]::NewGuid()) -AsPlainText -Force))
            $result = Invoke-SmtpAuthPlain @Common -Port $Lab.LAB_SUBMISSION_PORT -Credential $wrong -ErrorAction SilentlyContinue -ErrorVariable failures
            $result.Status | Should -Be 'AuthenticationFailed'
            $result.ReplyCode | Should -Be 535
            $result.EnhancedStatusCode | Should -Be '5.7.8'
            $failures.Count | Should -Be 1
            $failures[0].FullyQualifiedErrorId | Should -BeLike 'SmtpAuthenticationFailed,*'
        }

        It 'refuses the plaintext-only port before sending credentials' {
            $result = Invoke-SmtpAuthPlain @Common -Port $Lab.LAB_SUBMISSION_PLAIN_PORT -Credential $Credential -IncludeTranscript -ErrorAction SilentlyContinue -ErrorVariable failures
            $result.Status | Should -Be 'RefusedWithoutTls'
            $result.CredentialsSent | Should -BeFalse
            $result.Transcript | Should -Not -Match 'C (plain|tls)\s+AUTH'
            $failures[0].FullyQualifiedErrorId | Should -BeLike 'RefusedWithoutTls,*'
        }

        It 'authenticates on SMTPS with -ImplicitTls' {
            $result = Invoke-SmtpAuthPlain @Common -Port $Lab.LAB_SMTPS_PORT -ImplicitTls -Credential $Credential
            $result.Status | Should -Be 'Succeeded'
            $result.ImplicitTls | Should -BeTrue
        }

        It 'shows the secret on no stream, in no rendering' {
            $everything = & {
                $VerbosePreference = 'Continue'
                Invoke-SmtpAuthPlain @Common -Port $Lab.LAB_SUBMISSION_PORT -Credential $Credential -IncludeTranscript -Verbose 4>&1 3>&1 2>&1 6>&1 |
                    ForEach-Object { $_; $_ | Format-List * -Force | Out-String -Width 400; $_ | ConvertTo-Json -Depth 3 }
            } | Out-String -Width 400
            $everything | Should -Match 'AUTH PLAIN <redacted>'
            foreach ($form in $SecretForms) { $everything.Contains($form) | Should -BeFalse }
        }
    }
}
