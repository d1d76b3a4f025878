<#
.SYNOPSIS
    Azure Automation runbook: tests STARTTLS/TLS on a list of servers with StartTlsTools and reports one row per
    server to the output stream and to a CSV file; optionally checks SMTP AUTH with an Automation credential.

.DESCRIPTION
    Targets come from -Targets or, when that is empty, from the Automation variable named by
    -TargetsVariableName (Get-AutomationVariable). Either holds text in one of two forms:

        CSV   HostName,Port,Protocol[,ImplicitTls]      a header line, then one server per line
              mail.contoso.com,25,Smtp                  ('#' lines and blank lines are ignored)
              mail.contoso.com,587,Submission
        JSON  [{"HostName":"imap.contoso.com","Port":993,"Protocol":"Imap","ImplicitTls":true}]

    Only HostName is required. An empty Port means the protocol's default port; an empty Protocol means Smtp.
    Every entry is checked before the first connection: an empty list, an unreadable text, an unknown column
    or a bad entry fails the job with a terminating error that names each bad entry.

    One row per target goes to the output stream (type name StartTlsAudit.Row) and to -CsvPath. A server that
    fails its test is a row with its Status and Reason plus a non-terminating error record, not a failed job.

    With -CredentialName, Invoke-SmtpAuthPlain authenticates with that Automation credential
    (Get-AutomationPSCredential) on every target whose Protocol is Submission; the AUTH columns of that row
    carry the outcome. Invoke-SmtpAuthPlain refuses before sending anything when TLS or the certificate fails,
    and no password ever reaches the output, the verbose stream or the CSV.

    The runbook never prompts and never writes to the host: it runs unattended in PowerShell 7.x and
    Windows PowerShell 5.1 runbooks and on Hybrid Runbook Workers. It needs the StartTlsTools module
    imported into the Automation account (out/packages/StartTlsTools.zip from ./build.ps1 -Task Package).

.PARAMETER Targets
    The target list as CSV or JSON text (see the description). Leave empty to read the Automation variable.

.PARAMETER TargetsVariableName
    The Automation variable (a string) that holds the target list when -Targets is empty.

.PARAMETER CsvPath
    Where the CSV goes. Default: StartTlsAudit-<UTC time>.csv in the temporary folder ($env:TEMP in the
    Azure sandbox). The path is written to the verbose stream.

.PARAMETER CredentialName
    An Automation credential asset. When given, SMTP AUTH PLAIN is checked on every Submission target.

.PARAMETER TrustedRootCertificateName
    An Automation certificate asset (Get-AutomationCertificate) trusted as a root in addition to the
    operating system's store, for servers with certificates from a private CA.

.PARAMETER EhloName
    The name sent in EHLO/LHLO. Default: the module's default.

.PARAMETER TimeoutSeconds
    Bounds each network step of each test (1 to 600; default 10).

.EXAMPLE
    # In Azure Automation: a schedule with no parameters reads the variable StartTlsAuditTargets.
    .\Invoke-StartTlsAudit.Runbook.ps1 -CredentialName SmtpAuditUser

.EXAMPLE
    .\Invoke-StartTlsAudit.Runbook.ps1 -Targets "HostName,Port,Protocol`nmail.contoso.com,25,Smtp" -CsvPath C:\Reports\starttls.csv
#>
[CmdletBinding()]
[OutputType('StartTlsAudit.Row')]
param(
    [string]$Targets,

    [string]$TargetsVariableName = 'StartTlsAuditTargets',

    [string]$CsvPath,

    [string]$CredentialName,

    [string]$TrustedRootCertificateName,

    [string]$EhloName,

    [ValidateRange(1, 600)]
    [int]$TimeoutSeconds = 10
)

Set-StrictMode -Version Latest
$ErrorActionPreference = 'Stop'

# A terminating error with a stable id: the job fails and its message says what to fix.
function Stop-Audit {
    param([string]$Id, [string]$Message, [System.Management.Automation.ErrorCategory]$Category, [object]$Target)
    throw [System.Management.Automation.ErrorRecord]::new([System.ArgumentException]::new($Message), $Id, $Category, $Target)
}

# Get-AutomationVariable and friends exist only inside Azure Automation (and on Hybrid Runbook Workers).
function Get-AutomationAsset {
    param([string]$Command, [string]$Name)
    if (-not (Get-Command -Name $Command -ErrorAction SilentlyContinue)) {
        Stop-Audit -Id 'AutomationAssetUnavailable' -Category NotInstalled -Target $Name `
            -Message "$Command is not available (not running in Azure Automation?), so the asset '$Name' cannot be read."
    }
    & $Command -Name $Name
}

function ConvertTo-Boolean {
    param([object]$Value)
    if ($Value -is [bool]) { return $Value }
    switch -Regex ("$Value".Trim()) {
        '^(|0|false|no)$' { return $false }
        '^(1|true|yes)$' { return $true }
    }
    $null
}

# Text -> validated targets. Nothing connects before every entry is known to be good.
function Read-AuditTarget {
    param([string]$Text, [string]$Source)
    $body = "$Text".Trim()
    if (-not $body) {
        Stop-Audit -Id 'StartTlsAuditTargetsEmpty' -Category InvalidData -Target $Source `
            -Message "The target list from $Source is empty. Give one server per line as CSV (HostName,Port,Protocol) or a JSON array."
    }

    if ($body.StartsWith('[') -or $body.StartsWith('{')) {
        try { $parsed = $body | ConvertFrom-Json }
        catch {
            Stop-Audit -Id 'StartTlsAuditTargetsMalformed' -Category InvalidData -Target $Source `
                -Message "The target list from $Source is not valid JSON: $($_.Exception.Message)"
        }
        # Windows PowerShell 5.1 returns a JSON array as one object; PowerShell 7 enumerates it.
        $entries = @($parsed | ForEach-Object { $_ })
    }
    else {
        $lines = @($body -split '\r?\n' | Where-Object { $_.Trim() -and -not $_.TrimStart().StartsWith('#') })
        $entries = @($lines | ConvertFrom-Csv)
    }
    if ($entries.Count -eq 0) {
        Stop-Audit -Id 'StartTlsAuditTargetsEmpty' -Category InvalidData -Target $Source `
            -Message "The target list from $Source has no entries (a header line alone is not a target)."
    }

    $protocols = @([StartTlsTools.ProtocolRegistry]::Names)
    $columns = 'HostName', 'Port', 'Protocol', 'ImplicitTls'
    $problems = New-Object System.Collections.Generic.List[string]
    $targets = New-Object System.Collections.Generic.List[object]
    for ($i = 0; $i -lt $entries.Count; $i++) {
        $entry = $entries[$i]
        $label = "entry $($i + 1) of $($entries.Count)"
        if ($entry -isnot [System.Management.Automation.PSCustomObject]) {
            $problems.Add("$label ('$entry') is not an object with HostName, Port and Protocol.")
            continue
        }
        $names = @($entry.PSObject.Properties | ForEach-Object Name)
        $shown = ($names | Where-Object { "$($entry.$_)" -ne '' } | ForEach-Object { "$_=$($entry.$_)" }) -join ', '
        $label = "$label ($shown)"
        $unknown = @($names | Where-Object { $columns -notcontains $_ })
        if ($unknown.Count -gt 0) {
            $problems.Add("$label has unknown column(s) $($unknown -join ', '); the columns are $($columns -join ', ').")
            continue
        }
        $value = @{}
        foreach ($column in $columns) { $value[$column] = if ($names -contains $column) { "$($entry.$column)".Trim() } else { '' } }

        $hostName = $value.HostName
        if (-not $hostName -or [System.Uri]::CheckHostName($hostName) -eq [System.UriHostNameType]::Unknown) {
            $problems.Add("$label has no valid HostName.")
            continue
        }
        $port = 0
        if ($value.Port -and (-not [int]::TryParse($value.Port, [ref]$port) -or $port -lt 1 -or $port -gt 65535)) {
            $problems.Add("$label has Port '$($value.Port)', which is not a whole number from 1 to 65535.")
            continue
        }
        $protocol = if ($value.Protocol) { $protocols | Where-Object { $_ -eq $value.Protocol } } else { 'Smtp' }
        if (-not $protocol) {
            $problems.Add("$label has Protocol '$($value.Protocol)'; known protocols: $($protocols -join ', ').")
            continue
        }
        $implicitTls = if ($names -contains 'ImplicitTls' -and $entry.ImplicitTls -is [bool]) { $entry.ImplicitTls } else { ConvertTo-Boolean $value.ImplicitTls }
        if ($null -eq $implicitTls) {
            $problems.Add("$label has ImplicitTls '$($value.ImplicitTls)'; use true or false.")
            continue
        }
        $targets.Add([pscustomobject]@{ HostName = $hostName; Port = $port; Protocol = "$protocol"; ImplicitTls = [bool]$implicitTls })
    }
    if ($problems.Count -gt 0) {
        Stop-Audit -Id 'StartTlsAuditTargetsMalformed' -Category InvalidData -Target $Source `
            -Message "The target list from $Source has $($problems.Count) bad entr$(if ($problems.Count -eq 1) { 'y' } else { 'ies' }): $($problems -join ' ')"
    }
    $targets
}

Import-Module -Name StartTlsTools -ErrorAction Stop -Verbose:$false

if ($Targets) {
    $targetList = @(Read-AuditTarget -Text $Targets -Source 'the -Targets parameter')
}
else {
    $text = Get-AutomationAsset -Command 'Get-AutomationVariable' -Name $TargetsVariableName
    $targetList = @(Read-AuditTarget -Text $text -Source "the Automation variable '$TargetsVariableName'")
}

$credential = $null
if ($CredentialName) {
    if (-not @($targetList | Where-Object Protocol -eq 'Submission')) {
        Stop-Audit -Id 'StartTlsAuditNoSubmissionTarget' -Category InvalidArgument -Target $CredentialName `
            -Message "-CredentialName '$CredentialName' is given, but no target has Protocol Submission to check SMTP AUTH on."
    }
    $credential = Get-AutomationAsset -Command 'Get-AutomationPSCredential' -Name $CredentialName
    if ($credential -isnot [System.Management.Automation.PSCredential]) {
        Stop-Audit -Id 'AutomationCredentialInvalid' -Category InvalidData -Target $CredentialName `
            -Message "The Automation credential '$CredentialName' did not come back as a PSCredential."
    }
}

$connection = @{ TimeoutSeconds = $TimeoutSeconds }
if ($EhloName) { $connection.EhloName = $EhloName }
if ($TrustedRootCertificateName) {
    $connection.TrustedRootCertificate = Get-AutomationAsset -Command 'Get-AutomationCertificate' -Name $TrustedRootCertificateName
}

if (-not $CsvPath) {
    $CsvPath = Join-Path ([System.IO.Path]::GetTempPath()) ('StartTlsAudit-{0:yyyyMMdd-HHmmss}.csv' -f [DateTime]::UtcNow)
}

$rows = foreach ($target in $targetList) {
    $testArguments = @{ HostName = $target.HostName; Protocol = $target.Protocol; ImplicitTls = $target.ImplicitTls }
    if ($target.Port) { $testArguments.Port = $target.Port }
    # A failing server is a row and a non-terminating error, never the end of the audit.
    $result = Test-StartTls @testArguments @connection -ErrorAction Continue -ErrorVariable testErrors

    $auth = $null
    if ($credential -and $target.Protocol -eq 'Submission') {
        $authArguments = @{ HostName = $target.HostName; ImplicitTls = $target.ImplicitTls; Credential = $credential }
        if ($target.Port) { $authArguments.Port = $target.Port }
        $auth = Invoke-SmtpAuthPlain @authArguments @connection -ErrorAction Continue
    }

    [pscustomobject]@{
        PSTypeName              = 'StartTlsAudit.Row'
        TestedAtUtc             = [DateTime]::UtcNow.ToString('yyyy-MM-ddTHH:mm:ssZ')
        HostName                = $target.HostName
        Port                    = if ($result) { $result.Port } else { $target.Port }
        Protocol                = $target.Protocol
        ImplicitTls             = $target.ImplicitTls
        Status                  = if ($result) { "$($result.Status)" } else { 'NotTested' }
        IsHealthy               = if ($result) { $result.IsHealthy } else { $false }
        StartTlsOffered         = if ($result) { $result.StartTlsOffered } else { $null }
        TlsVersion              = if ($result) { "$($result.TlsVersion)" } else { '' }
        CipherSuite             = if ($result) { $result.CipherSuite } else { '' }
        CertificateValid        = if ($result) { $result.CertificateValid } else { $null }
        CertificateSubject      = if ($result) { $result.CertificateSubject } else { '' }
        CertificateDaysToExpiry = if ($result) { $result.CertificateDaysToExpiry } else { $null }
        FindingIds              = if ($result) { $result.FindingIds } else { '' }
        Reason                  = if ($result) { $result.Reason } else { (@($testErrors) | Select-Object -First 1 | ForEach-Object { "$_" }) }
        AuthChecked             = [bool]$auth
        AuthStatus              = if ($auth) { "$($auth.Status)" } else { '' }
        AuthReplyCode           = if ($auth) { $auth.ReplyCode } else { $null }
        AuthReason              = if ($auth) { $auth.Reason } else { '' }
    }
}

$csvDirectory = Split-Path -Parent $CsvPath
if ($csvDirectory -and -not (Test-Path -LiteralPath $csvDirectory)) { $null = New-Item -ItemType Directory -Path $csvDirectory -Force }
$rows | Export-Csv -LiteralPath $CsvPath -NoTypeInformation -Encoding UTF8
Write-Verbose "StartTlsAudit: $(@($rows).Count) target(s), $(@($rows | Where-Object IsHealthy).Count) healthy; CSV written to $CsvPath"
$rows
