#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0.0' }
<#
    Export-StartTlsReport in real pwsh: live lab results of every kind piped in, the file written at the end,
    -PassThru and its view, relative paths, what is left out, and the error ids.

        Invoke-Pester -Path tests/Pester/Export-StartTlsReport.Tests.ps1 -Output Detailed
#>

BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')

    $Out = Join-Path ([System.IO.Path]::GetTempPath()) ("starttls-pester-report-" + [guid]::NewGuid())
    New-Item -ItemType Directory -Path $Out | Out-Null

    $LabArgs = @{ HostName = 'localhost'; EhloName = 'client.lab.test' }
    $Results = @(
        Test-StartTls @LabArgs -Port (Get-LabPort SMTP) -TrustedRootCertificate $Ca
        Test-StartTls @LabArgs -Port (Get-LabPort SMTP_PLAIN) -ErrorAction SilentlyContinue
        Test-StartTls @LabArgs -Port (Get-LabPort IMAP) -Protocol Imap -TrustedRootCertificate $Ca
        Get-TlsCapability @LabArgs -Port (Get-LabPort LEGACY_SMTP) -Summary -TrustedRootCertificate $Ca
        Get-TlsCapability @LabArgs -Port (Get-LabPort LEGACY_SMTP)
        Test-StartTlsInjection @LabArgs -Port (Get-LabPort SMTP) -WaitSeconds 1 -TrustedRootCertificate $Ca
        Compare-ImplicitVsStartTls @LabArgs -Port (Get-LabPort SUBMISSION) -ImplicitPort (Get-LabPort SMTPS) -Samples 1 -TrustedRootCertificate $Ca
    )

    function Get-ReportRow {
        param([Parameter(Mandatory)] [string]$Html)
        [regex]::Matches($Html, '<tr data-h=(\w+) data-s=(-?\d)><th><a href=#(t\d+)>([^<]+)</a>') |
            ForEach-Object { [pscustomobject]@{ Health = $_.Groups[1].Value; Severity = [int]$_.Groups[2].Value; Anchor = $_.Groups[3].Value; Target = $_.Groups[4].Value } }
    }
}

AfterAll {
    Remove-Item -LiteralPath $Out -Recurse -Force -ErrorAction SilentlyContinue
    Remove-Module -Name StartTlsTools -ErrorAction SilentlyContinue
}

Describe 'Export-StartTlsReport with live lab results' {

    It 'writes one self-contained page with a row per target' {
        $path = Join-Path $Out 'lab.html'
        $written = $Results | Export-StartTlsReport -Path $path -Title 'Lab audit'
        $written | Should -BeNullOrEmpty
        $path | Should -Exist
        $html = Get-Content -LiteralPath $path -Raw
        $html | Should -Match '<title>Lab audit</title>'
        $html | Should -Not -Match '(src|href)="?https?:'
        $rows = @(Get-ReportRow -Html $html)
        $rows.Target | Should -Be @(
            "localhost:$(Get-LabPort SMTP)", "localhost:$(Get-LabPort SMTP_PLAIN)", "localhost:$(Get-LabPort IMAP)",
            "localhost:$(Get-LabPort LEGACY_SMTP)", "localhost:$(Get-LabPort SUBMISSION)")
        ($rows | Where-Object Target -eq "localhost:$(Get-LabPort SMTP_PLAIN)").Health | Should -Be 'bad'
        ($rows | Where-Object Target -eq "localhost:$(Get-LabPort LEGACY_SMTP)").Severity | Should -Be 3
        $html | Should -Match 'Test-StartTls, Test-StartTlsInjection'
        $html | Should -Match 'Accepted cipher suites \(\d+\)'
        $html | Should -Match 'Implicit TLS compared with STARTTLS'
        [System.Net.WebUtility]::HtmlDecode($html) | Should -Match ([regex]::Escape('| Export-StartTlsReport -Path $path -Title ''Lab audit'''))
    }

    It 'returns a summary with -PassThru whose numbers match the results' {
        $summary = $Results | Export-StartTlsReport -Path (Join-Path $Out 'passthru.html') -PassThru
        $summary | Should -BeOfType ([StartTlsTools.StartTlsReportSummary])
        $summary.Targets | Should -Be 5
        $summary.Results | Should -Be $Results.Count
        $summary.NotHealthy | Should -BeGreaterOrEqual 1
        $summary.Healthy + $summary.NotHealthy + $summary.NoVerdict | Should -Be 5
        $summary.High | Should -BeGreaterOrEqual 2
        $summary.Unrecognized | Should -Be 0
        $summary.SizeBytes | Should -Be (Get-Item -LiteralPath $summary.Path).Length
    }

    It 'shows the summary in a table that fits <Width> columns' -ForEach @(@{ Width = 120; Columns = 9 }, @{ Width = 80; Columns = 6 }) {
        $summary = $Results | Export-StartTlsReport -Path (Join-Path $Out 'view.html') -PassThru
        $text = $summary | Out-String -Width $Width
        $lines = @($text -split '\r?\n' | Where-Object { $_.Trim() })
        foreach ($line in $lines) { $line.TrimEnd().Length | Should -BeLessOrEqual $Width }
        $header = $lines[0] -split '\s+' | Where-Object { $_ }
        $header | Should -Be (@('Path', 'Targets', 'Healthy', 'Critical', 'High', 'Medium', 'Low', 'Unrecognized', 'KB')[0..($Columns - 1)])
        ($summary | Format-List | Out-String) | Should -Match 'Findings\s+: Critical \d+, High \d+, Medium \d+, Low \d+, Info \d+'
    }

    It 'resolves a relative path against the current location' {
        Push-Location -LiteralPath $Out
        try {
            $summary = $Results[0] | Export-StartTlsReport -Path 'relative.html' -PassThru
        }
        finally {
            Pop-Location
        }
        $summary.Path | Should -Be (Join-Path $Out 'relative.html')
        Join-Path $Out 'relative.html' | Should -Exist
    }

    It 'leaves out and names objects that are not results, and warns' {
        $mixed = @($Results[0]; 'text'; ($Results[0] | Select-Object HostName, Port))
        $summary = $mixed | Export-StartTlsReport -Path (Join-Path $Out 'mixed.html') -PassThru -WarningVariable warned -WarningAction SilentlyContinue
        $summary.Unrecognized | Should -Be 2
        "$warned" | Should -Match 'System\.String \(1\), Selected\.StartTlsTools\.StartTlsResult \(1\)'
        Get-Content -LiteralPath $summary.Path -Raw | Should -Match 'Selected\.StartTlsTools\.StartTlsResult'
    }

    It 'reports <Id> for <Case> and writes nothing' -ForEach @(
        @{ Case = 'a missing folder'; Id = 'ReportDirectoryNotFound'; Path = { Join-Path $Out 'no/such/folder/r.html' } }
        @{ Case = 'a folder'; Id = 'ReportPathInvalid'; Path = { $Out } }
        @{ Case = 'a path outside the file system'; Id = 'ReportPathInvalid'; Path = { 'Env:\StartTlsReport' } }
    ) {
        $target = & $Path
        $result = $Results[0] | Export-StartTlsReport -Path $target -PassThru -ErrorVariable failed -ErrorAction SilentlyContinue
        $result | Should -BeNullOrEmpty
        $failed.Count | Should -Be 1
        $failed[0].FullyQualifiedErrorId | Should -Be "$Id,StartTlsTools.Commands.ExportStartTlsReportCommand"
        $failed[0].TargetObject | Should -Be $target
        { $Results[0] | Export-StartTlsReport -Path $target -ErrorAction Stop } | Should -Throw -ErrorId "$Id,StartTlsTools.Commands.ExportStartTlsReportCommand"
    }

    It 'declares its output type and help link' {
        $command = Get-Command Export-StartTlsReport
        $command.OutputType.Name | Should -Be 'StartTlsTools.StartTlsReportSummary'
        $command.HelpUri | Should -Be 'https://github.com/starttlstools/StartTlsTools/blob/main/docs/en-US/Export-StartTlsReport.md'
    }
}
