#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0.0' }
<#
    Resolve-MailExchanger, Get-MtaStsPolicy, Test-MailDomain and Test-StartTls -Dane in real pwsh, against the lab's
    DNSSEC-signed zone (NSD), validating resolver (unbound), MTA-STS policy hosts (nginx) and MX Postfix on port 25.

        Invoke-Pester -Path tests/Pester/MailDomain.Tests.ps1 -Output Detailed
#>

BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')
    foreach ($required in 'LAB_DNS_RESOLVER', 'LAB_DNS_ZONE', 'LAB_MAIL_DOMAINS', 'LAB_MX1_ADDRESS') {
        if (-not $Lab.ContainsKey($required)) { throw "lab.env has no $required; re-run tests/lab/up.sh." }
    }
    $Dns = $Lab.LAB_DNS_RESOLVER
    $Zone = $Lab.LAB_DNS_ZONE
    $Domains = $Lab.LAB_MAIL_DOMAINS -split ','
    $Common = @{ DnsServer = $Dns }
}

Describe 'Resolve-MailExchanger' {
    It 'lists the MX hosts by preference with addresses, port 25 and Smtp' {
        $mx = @(Resolve-MailExchanger -Domain "good.$Zone" @Common)
        $mx.Count | Should -Be 2
        $mx[0].HostName | Should -Be "mx1.$Zone"
        $mx[0].Preference | Should -Be 10
        $mx[1].Preference | Should -Be 20
        $mx[0].Port | Should -Be 25
        [string]$mx[0].Protocol | Should -Be 'Smtp'
        [string]$mx[0].IPAddresses | Should -Be $Lab.LAB_MX1_ADDRESS
        [string]$mx[0].MxDnssec | Should -Be 'Secure'
        $mx[0].PSObject.TypeNames[0] | Should -Be 'StartTlsTools.MailExchanger'
    }

    It 'pipes by property name into Test-StartTls -Dane' {
        $results = @(Resolve-MailExchanger "good.$Zone" @Common | Test-StartTls -Dane @Common -EhloName client.lab.test -TrustedRootCertificate $Ca)
        $results.Count | Should -Be 2
        $results | ForEach-Object {
            [string]$_.Status | Should -Be 'Success'
            $_.Port | Should -Be 25
            [string]$_.DaneStatus | Should -Be 'Matched'
            $_.DaneMatchedDepth | Should -Be 0
        }
        # Results come as targets complete: sort before comparing.
        ($results.HostName | Sort-Object) | Should -Be "mx1.$Zone", "mx2.$Zone"
    }

    It 'pipes by property name into Test-StartTlsInjection and Get-TlsCapability' {
        $verdict = Resolve-MailExchanger "dane-ta.$Zone" @Common | Test-StartTlsInjection @Common -EhloName client.lab.test -WaitSeconds 1
        [string]$verdict.Verdict | Should -Be 'NotVulnerable'
        $verdict.IPAddress | Should -Be $Lab.LAB_MX2_ADDRESS
        $summary = Resolve-MailExchanger "dane-ta.$Zone" @Common | Get-TlsCapability @Common -EhloName client.lab.test -Summary |
            Where-Object { $_.PSObject.TypeNames[0] -eq 'StartTlsTools.TlsCapabilitySummary' }
        [string]$summary.Status | Should -Be 'Success'
        $summary.HostName | Should -Be "mx-ta.$Zone"
    }

    It 'warns for a null MX and writes nothing' {
        $out = @(Resolve-MailExchanger "nullmx.$Zone" @Common -WarningVariable warned -WarningAction SilentlyContinue)
        $out.Count | Should -Be 0
        "$warned" | Should -Match 'Null MX'
    }
}

Describe 'Get-MtaStsPolicy' {
    It 'reads the enforce policy over HTTPS with the lab CA' {
        $p = Get-MtaStsPolicy "good.$Zone" @Common -TrustedRootCertificate $Ca
        [string]$p.Status | Should -Be 'Valid'
        [string]$p.Mode | Should -Be 'Enforce'
        @($p.MxPatterns) | Should -Be @("mx1.$Zone", "mx2.$Zone")
        $p.HttpStatus | Should -Be 200
    }

    It 'reports an unreachable policy host as data and a stable error' {
        $p = Get-MtaStsPolicy "sts-unreachable.$Zone" @Common -ErrorVariable failed -ErrorAction SilentlyContinue
        [string]$p.Status | Should -Be 'PolicyUnreachable'
        $failed[0].FullyQualifiedErrorId | Should -BeLike 'MtaStsPolicyUnreachable*'
    }
}

Describe 'Test-MailDomain' {
    BeforeAll {
        $Rows = @($Domains | Test-MailDomain @Common -EhloName client.lab.test -TrustedRootCertificate $Ca -ErrorAction SilentlyContinue -WarningAction SilentlyContinue)
        $Csv = Join-Path ([System.IO.Path]::GetTempPath()) "maildomain-$PID.csv"
        $Rows | Export-Csv -LiteralPath $Csv -NoTypeInformation
        $Imported = @(Import-Csv -LiteralPath $Csv)
    }
    AfterAll { Remove-Item -LiteralPath $Csv -ErrorAction SilentlyContinue }

    It 'takes many domains from the pipeline and writes one type' {
        @($Rows | ForEach-Object { $_.PSObject.TypeNames[0] } | Sort-Object -Unique) | Should -Be @('StartTlsTools.MailDomainResult')
        @($Rows.Domain | Sort-Object -Unique).Count | Should -Be $Domains.Count
        # good and sts-uncovered have two MX hosts each; every other domain one row.
        $Rows.Count | Should -Be ($Domains.Count + 2)
    }

    It 'gives each lab domain its verdict' {
        $byDomain = $Rows | Group-Object Domain -AsHashTable -AsString
        # Every tested lab MX takes mail before STARTTLS, as a public MX should: StartTlsOptional (Info) on each, set aside here.
        function Get-Verdict($row) { @($row.Findings | Where-Object Id -NE 'StartTlsOptional' | ForEach-Object Id) -join '; ' }
        Get-Verdict ($byDomain["dane-mismatch.$Zone"]) | Should -Be 'DaneMismatch'
        [string]($byDomain["dane-ta.$Zone"]).DaneStatus | Should -Be 'Matched'
        Get-Verdict ($byDomain["bogus.$Zone"]) | Should -Be 'DnssecBogus'
        Get-Verdict ($byDomain["nullmx.$Zone"]) | Should -Be 'NullMx'
        Get-Verdict ($byDomain["sts-uncovered.$Zone"] | Where-Object HostName -eq "mx2.$Zone") | Should -Be 'MtaStsMxNotCovered'
        ($byDomain["good.$Zone"] | ForEach-Object { Get-Verdict $_ }) | Should -Be @('', '')
        ($byDomain["good.$Zone"]).TlsRequired | Should -Be @($false, $false)
        ($byDomain["good.$Zone"]).FindingIds | Should -Be @('StartTlsOptional', 'StartTlsOptional')
    }

    It 'round-trips through Export-Csv with readable cells and no type names' {
        $Imported.Count | Should -Be $Rows.Count
        foreach ($row in $Imported) {
            foreach ($property in $row.PSObject.Properties) {
                $property.Value | Should -Not -Match '^System\.|^StartTlsTools\.'
            }
        }
        $good = $Imported | Where-Object { $_.Domain -eq "good.$Zone" -and $_.HostName -eq "mx1.$Zone" }
        $good.MailExchangers | Should -Be "10 mx1.$Zone; 20 mx2.$Zone"
        $good.MtaStsMxPatterns | Should -Be "mx1.$Zone; mx2.$Zone"
        $good.DaneStatus | Should -Be 'Matched'
        ($Imported | Where-Object Domain -eq "mx-cname.$Zone").Findings | Should -Be 'MxIsCname; StartTlsOptional'
    }

    It 'has table views that fit 120 columns and keep DANE and MTA-STS at 80' {
        $wide = ($Rows | Out-String -Width 120) -replace '\e\[[0-9;]*m', ''
        (($wide -split "`n") | Measure-Object -Property Length -Maximum).Maximum | Should -BeLessOrEqual 120
        $wide | Should -Match 'TLS-RPT'
        $narrow = ($Rows | Out-String -Width 80) -replace '\e\[[0-9;]*m', ''
        (($narrow -split "`n") | Measure-Object -Property Length -Maximum).Maximum | Should -BeLessOrEqual 80
        ($narrow -split "`n")[1] | Should -Match 'DANE\s+MTA-STS\s*$'
        foreach ($other in @((Resolve-MailExchanger "good.$Zone" @Common), (Get-MtaStsPolicy "good.$Zone" @Common -TrustedRootCertificate $Ca))) {
            $text = ($other | Out-String -Width 120) -replace '\e\[[0-9;]*m', ''
            (($text -split "`n") | Measure-Object -Property Length -Maximum).Maximum | Should -BeLessOrEqual 120
            $text | Should -Match 'Findings'
        }
    }
}
