#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0.0' }
<#
    docs/examples/Invoke-StartTlsAudit.Runbook.ps1 as Azure Automation would run it: unattended, in a fresh
    pwsh -NonInteractive, with Get-AutomationVariable, Get-AutomationPSCredential and Get-AutomationCertificate
    shimmed as functions (they exist only inside Automation), against the integration lab.

    What this cannot show: a real Automation account (its sandbox, module import, job streams) and the
    Windows PowerShell 5.1 runtime. README's "Azure Automation" section says so too.
#>

BeforeDiscovery {
    $EmptyCases = @(
        @{ Case = 'an empty variable'; Text = ''; Expected = 'is empty' }
        @{ Case = 'white space only'; Text = "  `n  "; Expected = 'is empty' }
        @{ Case = 'a header line alone'; Text = 'HostName,Port,Protocol'; Expected = 'has no entries' }
        @{ Case = 'an empty JSON array'; Text = '[]'; Expected = 'has no entries' }
    )
    # {witness} is a listening port that must never be contacted.
    $good = 'localhost,{witness},Smtp,'
    $MalformedCases = @(
        @{ Case = 'a port that is not a number'; Text = "HostName,Port,Protocol,ImplicitTls`n$good`nlocalhost,notaport,Smtp,"; Expected = "has 1 bad entry: entry 2 of 2 \(HostName=localhost, Port=notaport, Protocol=Smtp\) has Port 'notaport', which is not a whole number" }
        @{ Case = 'a port out of range'; Text = "HostName,Port,Protocol,ImplicitTls`n$good`nlocalhost,70000,Smtp,"; Expected = "entry 2 of 2 .* has Port '70000'" }
        @{ Case = 'an unknown protocol'; Text = "HostName,Port,Protocol,ImplicitTls`n$good`nlocalhost,25,Smtpp,"; Expected = "entry 2 of 2 .* has Protocol 'Smtpp'; known protocols: .*Submission" }
        @{ Case = 'a bad host name'; Text = "HostName,Port,Protocol,ImplicitTls`n$good`nbad host!,25,Smtp,"; Expected = 'entry 2 of 2 \(HostName=bad host!, .* has no valid HostName' }
        @{ Case = 'a bad ImplicitTls'; Text = "HostName,Port,Protocol,ImplicitTls`n$good`nlocalhost,993,Imap,maybe"; Expected = "entry 2 of 2 .* has ImplicitTls 'maybe'" }
        @{ Case = 'an unknown column'; Text = "Host,Port,Protocol`nlocalhost,{witness},Smtp"; Expected = 'entry 1 of 1 \(Host=localhost, .* has unknown column\(s\) Host' }
        @{ Case = 'JSON that does not parse'; Text = '[{"HostName": }'; Expected = 'is not valid JSON' }
        @{ Case = 'every bad entry at once'; Text = "HostName,Port`nlocalhost,{witness}`nlocalhost,x`nbad host,25"; Expected = "has 2 bad entries: entry 2 of 3 \(HostName=localhost, Port=x\) has Port 'x'.* entry 3 of 3 \(HostName=bad host, Port=25\) has no valid HostName" }
    )
}

Describe 'The Azure Automation runbook example' {

    BeforeAll {
        . (Join-Path $PSScriptRoot 'Common.ps1')
        $Runbook = Join-Path $RepoRoot 'docs/examples/Invoke-StartTlsAudit.Runbook.ps1'
        $ModuleParent = Split-Path -Parent $ModuleDir
        $Password = $LabCredential.GetNetworkCredential().Password
        $SecretForms = @(
            $Password
            [Convert]::ToBase64String([Text.Encoding]::UTF8.GetBytes($Password))
            [Convert]::ToBase64String([Text.Encoding]::UTF8.GetBytes("`0$($Lab.LAB_USER)`0$Password"))
        )

        # Runs the runbook in a fresh pwsh -NonInteractive. -VariableText is what Get-AutomationVariable
        # 'StartTlsAuditTargets' returns; -TargetsText goes to -Targets. Both travel through files, never the
        # command line. Returns the child's exit code, its whole output as text, and the rows it wrote.
        function Invoke-Runbook {
            param(
                [string]$VariableText,
                [string]$TargetsText,
                [string]$Arguments = '',
                [string[]]$Shims = @('Get-AutomationVariable', 'Get-AutomationPSCredential', 'Get-AutomationCertificate'),
                [hashtable]$Environment = @{}
            )
            $id = [guid]::NewGuid().ToString('N')
            $variableFile = Join-Path $TestDrive "variable-$id.txt"
            $targetsFile = Join-Path $TestDrive "targets-$id.txt"
            [System.IO.File]::WriteAllText($variableFile, "$VariableText")
            [System.IO.File]::WriteAllText($targetsFile, "$TargetsText")
            $shimText = @{
                'Get-AutomationVariable'     = "function Get-AutomationVariable { param([Parameter(Mandatory)] [string]`$Name) if (`$Name -ne 'StartTlsAuditTargets') { throw `"No Automation variable '`$Name'.`" }; [System.IO.File]::ReadAllText('$variableFile') }"
                'Get-AutomationPSCredential' = "function Get-AutomationPSCredential { param([Parameter(Mandatory)] [string]`$Name) if (`$Name -ne 'LabUser') { throw `"No Automation credential '`$Name'.`" }; [pscredential]::new('$($Lab.LAB_USER)', (ConvertTo-SecureString -String ([System.IO.File]::ReadAllText('$($Lab.LAB_PASSWORD_FILE)').Trim()) -AsPlainText -Force)) }"
                'Get-AutomationCertificate'  = "function Get-AutomationCertificate { param([Parameter(Mandatory)] [string]`$Name) if (`$Name -ne 'LabCA') { throw `"No Automation certificate '`$Name'.`" }; [System.Security.Cryptography.X509Certificates.X509Certificate2]::new('$($Lab.LAB_CA)') }"
            }
            $targetsArgument = if ($TargetsText) { "-Targets ([System.IO.File]::ReadAllText('$targetsFile'))" } else { '' }
            # A terminating error ends the job as Automation ends it (Failed); the trap prints it on one line.
            $command = @"
trap { 'JOB-FAILED: ' + `$_.FullyQualifiedErrorId + ': ' + `$_.Exception.Message; exit 1 }
`$env:PSModulePath = '$ModuleParent' + [System.IO.Path]::PathSeparator + `$env:PSModulePath
$(@($Shims | ForEach-Object { $shimText[$_] }) -join "`n")
`$rows = & '$Runbook' $targetsArgument $Arguments -Verbose -ErrorVariable runbookErrors
'ROWS-JSON:' + (ConvertTo-Json -InputObject @(`$rows) -Depth 3 -Compress)
'ERROR-IDS: ' + ((@(`$runbookErrors) | ForEach-Object { `$_.FullyQualifiedErrorId + ' ' + `$_.TargetObject }) -join '; ')
"@
            $output = @(Invoke-FreshPwsh -Command $command -Environment $Environment)
            $exitCode = $LASTEXITCODE
            $json = @($output | ForEach-Object { "$_" } | Where-Object { $_.StartsWith('ROWS-JSON:') }) | Select-Object -Last 1
            $rows = @()
            if ($json) { $rows = @($json.Substring('ROWS-JSON:'.Length) | ConvertFrom-Json | ForEach-Object { $_ }) }
            [pscustomobject]@{
                ExitCode = $exitCode
                ErrorIds = @($output | ForEach-Object { "$_" } | Where-Object { $_.StartsWith('ERROR-IDS: ') }) | Select-Object -Last 1
                Failure  = @($output | ForEach-Object { "$_" } | Where-Object { $_.StartsWith('JOB-FAILED: ') }) | Select-Object -Last 1
                Text     = ($output | Out-String -Width 400)
                Rows     = $rows
            }
        }

        # Runs the runbook once per case in one fresh pwsh -NonInteractive, catching each case's terminating error.
        # Returns a hashtable: case name -> "<FullyQualifiedErrorId>: <message>", or "COMPLETED".
        function Invoke-RunbookCase {
            param([hashtable[]]$Cases)
            $caseLiterals = for ($i = 0; $i -lt $Cases.Count; $i++) {
                $file = Join-Path $TestDrive "case-$([guid]::NewGuid().ToString('N')).txt"
                [System.IO.File]::WriteAllText($file, $Cases[$i].Text)
                "@{ Index = $i; File = '$file'; Csv = '$($Cases[$i].Csv)' }"
            }
            $command = @"
`$env:PSModulePath = '$ModuleParent' + [System.IO.Path]::PathSeparator + `$env:PSModulePath
function Get-AutomationVariable { param([Parameter(Mandatory)] [string]`$Name) [System.IO.File]::ReadAllText(`$global:CaseFile) }
foreach (`$case in @($($caseLiterals -join ', '))) {
    `$global:CaseFile = `$case.File
    try { `$null = & '$Runbook' -CsvPath `$case.Csv; "CASE-`$(`$case.Index): COMPLETED" }
    catch { "CASE-`$(`$case.Index): " + `$_.FullyQualifiedErrorId + ': ' + `$_.Exception.Message }
}
"@
            $output = @(Invoke-FreshPwsh -Command $command | ForEach-Object { "$_" })
            $results = @{}
            for ($i = 0; $i -lt $Cases.Count; $i++) {
                $line = $output | Where-Object { $_.StartsWith("CASE-$($i): ") } | Select-Object -Last 1
                $results[$Cases[$i].Case] = if ($line) { $line.Substring("CASE-$($i): ".Length) } else { "NO RESULT: $($output -join "`n")" }
            }
            $results
        }

        $SmtpPort = Get-LabPort SMTP
        $SmtpPlainPort = Get-LabPort SMTP_PLAIN
        $SubmissionPort = Get-LabPort SUBMISSION
        $ImapsPort = Get-LabPort IMAPS
    }

    AfterAll {
        Remove-Module -Name StartTlsTools -ErrorAction SilentlyContinue
    }

    Context 'Good targets from the Automation variable (CSV)' {

        BeforeAll {
            $CsvPath = Join-Path $TestDrive 'good/audit.csv'
            $Run = Invoke-Runbook -Arguments "-CsvPath '$CsvPath' -TrustedRootCertificateName LabCA -EhloName client.lab.test" -VariableText @"
HostName,Port,Protocol,ImplicitTls
# the lab's Postfix, Dovecot over implicit TLS, and a Postfix without TLS
localhost,$SmtpPort,Smtp,
localhost,$ImapsPort,Imap,true

localhost,$SmtpPlainPort,Smtp,false
"@
        }

        It 'completes (a server without STARTTLS is a finding, not a failed job)' {
            $Run.ExitCode | Should -Be 0 -Because $Run.Text
        }

        It 'writes one row per target, in order, with the outcome of each' {
            $Run.Rows.Count | Should -Be 3
            ($Run.Rows | ForEach-Object { "$($_.Protocol):$($_.Port):$($_.Status):$($_.IsHealthy)" }) -join ',' |
                Should -Be "Smtp:$($SmtpPort):Success:True,Imap:$($ImapsPort):Success:True,Smtp:$($SmtpPlainPort):NotOffered:False"
            $Run.Rows[1].ImplicitTls | Should -BeTrue
            $Run.Rows[1].TlsVersion | Should -Be 'Tls13'
            $Run.Rows[0].CertificateValid | Should -BeTrue
            $Run.Rows[2].FindingIds | Should -Match 'StartTlsNotOffered'
            $Run.Rows[2].Reason | Should -Not -BeNullOrEmpty
            foreach ($row in $Run.Rows) { $row.AuthChecked | Should -BeFalse }
        }

        It 'reports the failing server, and only it, on the error stream as well' {
            $Run.ErrorIds | Should -Be 'ERROR-IDS: StartTlsNotOffered,StartTlsTools.Commands.TestStartTlsCommand localhost'
        }

        It 'writes the same rows to the CSV, with readable cells' {
            $CsvPath | Should -Exist
            $rows = @(Import-Csv -LiteralPath $CsvPath)
            $rows.Count | Should -Be 3
            ($rows | ForEach-Object { "$($_.HostName):$($_.Port):$($_.Status)" }) -join ',' |
                Should -Be "localhost:$($SmtpPort):Success,localhost:$($ImapsPort):Success,localhost:$($SmtpPlainPort):NotOffered"
            $rows[0].PSObject.Properties.Name | Should -Contain 'AuthStatus'
            Get-Content -LiteralPath $CsvPath -Raw | Should -Not -Match 'System\.'
        }

        It 'names the CSV on the verbose stream' {
            $Run.Text | Should -Match ([regex]::Escape("CSV written to $CsvPath"))
        }
    }

    Context 'JSON through -Targets, default CSV path, no Automation variable' {

        BeforeAll {
            $TempDir = Join-Path $TestDrive 'temp'
            $null = New-Item -ItemType Directory -Path $TempDir
            # No Get-AutomationVariable shim: with -Targets the runbook must not need it.
            $Run = Invoke-Runbook -Shims 'Get-AutomationCertificate' -Arguments '-TrustedRootCertificateName LabCA' `
                -Environment @{ TMPDIR = "$TempDir/"; TEMP = $TempDir; TMP = $TempDir } `
                -TargetsText "[{`"HostName`":`"localhost`",`"Port`":$SubmissionPort,`"Protocol`":`"Submission`"}]"
        }

        It 'tests the one target' {
            $Run.ExitCode | Should -Be 0 -Because $Run.Text
            $Run.Rows.Count | Should -Be 1
            $Run.Rows[0].Protocol | Should -Be 'Submission'
            $Run.Rows[0].Status | Should -Be 'Success'
            $Run.Rows[0].IsHealthy | Should -BeTrue
        }

        It 'writes a time-stamped StartTlsAudit CSV to the temporary folder' {
            $files = @(Get-ChildItem -LiteralPath $TempDir -Filter 'StartTlsAudit-*.csv')
            $files.Count | Should -Be 1
            @(Import-Csv -LiteralPath $files[0].FullName).Count | Should -Be 1
        }
    }

    Context 'An empty or malformed target list fails the job before any connection' -ForEach @(@{ AllCases = $EmptyCases + $MalformedCases }) {

        BeforeAll {
            # The first, good entry of every malformed list points here: a connection would show that testing had started.
            $Witness = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Loopback, 0)
            $Witness.Start()
            $witnessPort = $Witness.LocalEndpoint.Port

            # Every case in one child (a pwsh start costs seconds); each case's terminating error is caught there and
            # reported. The two real job ends (exit code 1) are checked one by one below.
            $cases = foreach ($case in $AllCases) {
                @{ Case = $case.Case; Text = $case.Text.Replace('{witness}', "$witnessPort"); Csv = Join-Path $TestDrive "case-$([guid]::NewGuid().ToString('N')).csv" }
            }
            $Results = Invoke-RunbookCase -Cases $cases
            $CsvPaths = @{}
            foreach ($case in $cases) { $CsvPaths[$case.Case] = $case.Csv }
            $WitnessContacted = $Witness.Pending()
            $Witness.Stop()
        }

        It 'ends the job (exit code 1, a terminating error) for an empty list' {
            $run = Invoke-Runbook -VariableText ''
            $run.ExitCode | Should -Be 1
            $run.Failure | Should -Match "^JOB-FAILED: StartTlsAuditTargetsEmpty: The target list from the Automation variable 'StartTlsAuditTargets' is empty"
            $run.Rows.Count | Should -Be 0
        }

        It 'ends the job (exit code 1, a terminating error) for a malformed list' {
            $run = Invoke-Runbook -VariableText "HostName,Port,Protocol`nlocalhost,x,Smtp"
            $run.ExitCode | Should -Be 1
            $run.Failure | Should -Match "^JOB-FAILED: StartTlsAuditTargetsMalformed: The target list from the Automation variable 'StartTlsAuditTargets' has 1 bad entry: entry 1 of 1 \(HostName=localhost, Port=x, Protocol=Smtp\) has Port 'x'"
            $run.Rows.Count | Should -Be 0
        }

        It 'fails for <Case>' -ForEach $EmptyCases {
            $Results[$Case] | Should -Match "^StartTlsAuditTargetsEmpty: The target list from the Automation variable 'StartTlsAuditTargets' (is empty|has no entries)"
            $Results[$Case] | Should -Match $Expected
            $CsvPaths[$Case] | Should -Not -Exist
        }

        It 'names <Case>' -ForEach $MalformedCases {
            $Results[$Case] | Should -Match "^StartTlsAuditTargetsMalformed: The target list from the Automation variable 'StartTlsAuditTargets' "
            $Results[$Case] | Should -Match $Expected
            $CsvPaths[$Case] | Should -Not -Exist
        }

        It 'tests no target while the list is bad' {
            $WitnessContacted | Should -BeFalse
        }
    }

    Context 'SMTP AUTH with an Automation credential' {

        BeforeAll {
            $CsvPath = Join-Path $TestDrive 'auth/audit.csv'
            $Run = Invoke-Runbook -Arguments "-CsvPath '$CsvPath' -CredentialName LabUser -TrustedRootCertificateName LabCA -EhloName client.lab.test" `
                -VariableText "HostName,Port,Protocol`nlocalhost,$SubmissionPort,Submission`nlocalhost,$SmtpPort,Smtp"
        }

        It 'authenticates on the Submission target only' {
            $Run.ExitCode | Should -Be 0 -Because $Run.Text
            $Run.ErrorIds | Should -Be 'ERROR-IDS: '
            $Run.Rows.Count | Should -Be 2
            $Run.Rows[0].AuthChecked | Should -BeTrue
            $Run.Rows[0].AuthStatus | Should -Be 'Succeeded'
            $Run.Rows[0].AuthReplyCode | Should -Be 235
            $Run.Rows[1].AuthChecked | Should -BeFalse
            $Run.Rows[1].AuthStatus | Should -BeNullOrEmpty
        }

        It 'shows the secret nowhere: output, verbose stream, errors or CSV' {
            $Run.Text | Should -Match 'VERBOSE:'
            $csv = Get-Content -LiteralPath $CsvPath -Raw
            $csv | Should -Match 'Succeeded'
            foreach ($form in $SecretForms) {
                $Run.Text.Contains($form) | Should -BeFalse
                $csv.Contains($form) | Should -BeFalse
            }
        }

        It 'fails the job when no target is a Submission target' {
            $run = Invoke-Runbook -Arguments '-CredentialName LabUser' -VariableText "HostName,Port,Protocol`nlocalhost,$SmtpPort,Smtp"
            $run.ExitCode | Should -Not -Be 0
            $run.Failure | Should -Match "^JOB-FAILED: StartTlsAuditNoSubmissionTarget: -CredentialName 'LabUser' is given, but no target has Protocol Submission"
        }
    }

    Context 'Outside Azure Automation' {

        It 'fails clearly without -Targets when Get-AutomationVariable does not exist' {
            $run = Invoke-Runbook -Shims @()
            $run.ExitCode | Should -Not -Be 0
            $run.Failure | Should -Match "^JOB-FAILED: AutomationAssetUnavailable: Get-AutomationVariable is not available .* 'StartTlsAuditTargets'"
        }
    }

    Context 'Unattended by construction' {

        BeforeAll {
            $tokens = $null
            $parseErrors = $null
            $Ast = [System.Management.Automation.Language.Parser]::ParseFile($Runbook, [ref]$tokens, [ref]$parseErrors)
            $ParseErrors = $parseErrors
        }

        It 'parses' {
            $ParseErrors.Count | Should -Be 0
        }

        It 'never prompts and never writes to the host' {
            $commands = @($Ast.FindAll({ param($n) $n -is [System.Management.Automation.Language.CommandAst] }, $true) |
                ForEach-Object { $_.GetCommandName() } | Where-Object { $_ })
            $commands | Should -Contain 'Test-StartTls'
            foreach ($forbidden in 'Write-Host', 'Read-Host', 'Get-Credential', 'Out-Host', 'Pause') {
                $commands | Should -Not -Contain $forbidden
            }
            $Ast.Extent.Text | Should -Not -Match '\$Host\.UI'
        }

        It 'has no mandatory parameter (a scheduled job cannot answer a prompt)' {
            $mandatory = @($Ast.ParamBlock.Parameters | Where-Object {
                $_.Attributes | Where-Object { $_.TypeName.Name -eq 'Parameter' -and $_.NamedArguments.ArgumentName -contains 'Mandatory' }
            })
            $Ast.ParamBlock.Parameters.Count | Should -BeGreaterThan 0
            $mandatory.Count | Should -Be 0
        }
    }
}
