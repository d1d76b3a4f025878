@{
    # ModuleVersion is the single source of truth: Directory.Build.props reads it for every assembly.
    RootModule           = 'StartTlsTools.dll'
    ModuleVersion        = '0.1.0'
    GUID                 = '6b0f3f7e-6a0c-4d5e-9d8a-2f1d6c9b7a41'
    Author               = 'StartTlsTools contributors'
    CompanyName          = 'StartTlsTools'
    Copyright            = '(c) StartTlsTools contributors. MIT License.'
    Description          = 'STARTTLS and TLS diagnostics for mail, directory and chat servers: offered, upgraded, certificate, capabilities, findings.'
    PowerShellVersion    = '5.1'
    CompatiblePSEditions = @('Desktop', 'Core')
    FormatsToProcess     = @('StartTlsTools.Format.ps1xml')
    CmdletsToExport      = @('Test-StartTls', 'Test-StartTlsInjection', 'Invoke-SmtpAuthPlain', 'Compare-ImplicitVsStartTls', 'Get-TlsCapability', 'Resolve-MailExchanger', 'Get-MtaStsPolicy', 'Test-MailDomain')
    FunctionsToExport    = @()
    VariablesToExport    = @()
    AliasesToExport      = @()
    PrivateData          = @{
        PSData = @{
            Tags         = @('STARTTLS', 'TLS', 'SMTP', 'IMAP', 'POP3', 'LDAP', 'XMPP', 'FTP', 'Certificate', 'Security',
                             'Audit', 'AzureAutomation', 'Linux', 'Windows', 'PSEdition_Desktop', 'PSEdition_Core')
            ProjectUri   = 'https://github.com/starttlstools/StartTlsTools'
            LicenseUri   = 'https://github.com/starttlstools/StartTlsTools/blob/main/LICENSE'
            ReleaseNotes = '0.1.0: first release. Test-StartTls (13 protocols, certificate and findings), Test-StartTlsInjection, Invoke-SmtpAuthPlain, Compare-ImplicitVsStartTls and Get-TlsCapability; a zip for Azure Automation and a runbook example (docs/examples).'
        }
    }
}
