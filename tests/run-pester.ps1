<#
    Runs every tests/Pester/*.Tests.ps1 with the pinned Pester (restored by tests/run-all.sh from
    tools/pester/Pester.Restore.csproj into out/tools/packages) and writes one line per test to
    out/test-results/pester-results.csv.

    The outcome column is lower-case (passed, failed, skipped, notrun, inconclusive), so that
    grep -r "skipped" out/test-results finds a skipped Pester test and nothing else. Anything but
    "passed" counts as a failure, and so does a block or file that failed outside its tests
    (a throwing BeforeAll or AfterAll, a file that does not parse).

    The last line of output is "PESTER-COUNTS <passed> <failed>" for tests/run-all.sh.

        dotnet tool run pwsh -NoProfile -File tests/run-pester.ps1
#>
[CmdletBinding()]
param(
    # Limit the run to some files (for example tests/Pester/Runspace.Tests.ps1); all of tests/Pester by default.
    [string[]]$Path
)

Set-StrictMode -Version Latest
$ErrorActionPreference = 'Stop'

$repoRoot = Split-Path -Parent $PSScriptRoot
$restoreProject = Join-Path $repoRoot 'tools/pester/Pester.Restore.csproj'
$pesterVersion = ([xml](Get-Content -LiteralPath $restoreProject -Raw)).Project.ItemGroup.PackageDownload |
    Where-Object { $_.Include -eq 'Pester' } |
    ForEach-Object { $_.Version.Trim('[', ']') }
if (-not $pesterVersion) { throw "$restoreProject pins no Pester version." }
$pesterManifest = Join-Path $repoRoot "out/tools/packages/pester/$pesterVersion/tools/Pester.psd1"
if (-not (Test-Path -LiteralPath $pesterManifest)) {
    throw "Pester $pesterVersion is not restored ($pesterManifest is missing): run 'dotnet restore $restoreProject'."
}
# By path: the pinned copy, never whatever Pester the machine happens to have.
Import-Module -Name $pesterManifest -Force
$loaded = Get-Module -Name Pester
if (@($loaded).Count -ne 1 -or $loaded.Version -ne [version]$pesterVersion) {
    throw "Expected exactly Pester $pesterVersion to be loaded, found: $(@($loaded | ForEach-Object { "$($_.Version) $($_.Path)" }) -join ', ')."
}

$resultsDir = Join-Path $repoRoot 'out/test-results'
$null = New-Item -ItemType Directory -Force -Path $resultsDir

$configuration = New-PesterConfiguration
$configuration.Run.Path = if ($Path) { $Path } else { Join-Path $repoRoot 'tests/Pester' }
$configuration.Run.PassThru = $true
$configuration.Output.Verbosity = 'Detailed'
$run = Invoke-Pester -Configuration $configuration

$rows = foreach ($test in $run.Tests) {
    $message = ''
    if ($test.ErrorRecord -and @($test.ErrorRecord).Count -gt 0) {
        $message = (@($test.ErrorRecord)[0].ToString() -split '\r?\n')[0]
    }
    [pscustomobject]@{
        Outcome    = "$($test.Result)".ToLowerInvariant()
        File       = [System.IO.Path]::GetFileName($test.ScriptBlock.File)
        Test       = $test.ExpandedPath
        DurationMs = [int]$test.Duration.TotalMilliseconds
        Message    = $message
    }
}
# A block or file can fail with every one of its tests passed (AfterAll) or with no test at all (a parse error).
function Get-NestedTest {
    param($Node)
    if ($Node.PSObject.Properties['Tests']) { $Node.Tests }
    if ($Node.PSObject.Properties['Blocks']) { foreach ($child in $Node.Blocks) { Get-NestedTest -Node $child } }
}
$failedOutside = @(
    @($run.FailedBlocks) + @($run.FailedContainers) | Where-Object {
        $_ -and -not @(Get-NestedTest -Node $_ | Where-Object { $_.Result -ne 'Passed' })
    }
)
$rows = @($rows) + @(foreach ($node in $failedOutside) {
    $isBlock = [bool]$node.PSObject.Properties['ExpandedPath']
    [pscustomobject]@{
        Outcome    = 'failed'
        File       = if ($isBlock) { [System.IO.Path]::GetFileName($node.ScriptBlock.File) } else { [System.IO.Path]::GetFileName("$($node.Item)") }
        Test       = if ($isBlock) { "$($node.ExpandedPath) (BeforeAll/AfterAll)" } else { '(the file itself)' }
        DurationMs = [int]$node.Duration.TotalMilliseconds
        Message    = if (@($node.ErrorRecord).Count -gt 0) { (@($node.ErrorRecord)[0].ToString() -split '\r?\n')[0] } else { '' }
    }
})
$rows | Export-Csv -LiteralPath (Join-Path $resultsDir 'pester-results.csv') -NoTypeInformation -Encoding utf8

$passed = @($rows | Where-Object Outcome -eq 'passed').Count
$failed = @($rows | Where-Object Outcome -ne 'passed').Count
$failedOutsideTests = $failedOutside.Count
if ($failedOutsideTests -gt 0) {
    Write-Host "$failedOutsideTests block(s) or file(s) failed outside their tests (see the log above)."
}
"PESTER-COUNTS $passed $failed"
