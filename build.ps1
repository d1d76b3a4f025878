#Requires -Version 5.1
<#
.SYNOPSIS
    Builds, documents and tests the StartTlsTools module.

.DESCRIPTION
    Build  dotnet build StartTlsTools.sln; leaves an importable module in out/StartTlsTools.
    Docs   Compiles docs/en-US (PlatyPS Markdown, schema 2.0.0) into MAML and about-topic help in
           out/StartTlsTools/en-US with the project's own help compiler (src/StartTlsTools.HelpCompiler),
           offline: PlatyPS is not needed. Every dotnet build of the module does the same; this task
           always rewrites the help. A malformed page fails with its file and line.
    Test   On Linux with bash: bash tests/run-all.sh (the project's full test command).
           Elsewhere: dotnet test, then the Pester 5 tests in tests/Pester when Pester 5 is
           installed. Test-StartTls.Tests.ps1 needs the integration lab (tests/lab/up.sh, Linux)
           and is left out, with a warning, when the lab is not running.
    All    Build, Docs, Test.

    Stops at the first failure and exits with its exit code. Works in Windows PowerShell 5.1
    and PowerShell 7. Run it as a script (./build.ps1), not dot-sourced.

.EXAMPLE
    ./build.ps1

.EXAMPLE
    ./build.ps1 -Task All -Configuration Release
#>
[CmdletBinding()]
param(
    [ValidateSet('Build', 'Docs', 'Test', 'All')]
    [string]$Task = 'Build',

    [ValidateNotNullOrEmpty()]
    [string]$Configuration = 'Debug'
)

Set-StrictMode -Version Latest
$ErrorActionPreference = 'Stop'

$RepoRoot = $PSScriptRoot
$Solution = Join-Path $RepoRoot 'StartTlsTools.sln'
$ModuleDir = Join-Path $RepoRoot 'out/StartTlsTools'
$DocsDir = Join-Path $RepoRoot 'docs/en-US'
$PesterDir = Join-Path $RepoRoot 'tests/Pester'

# Runs a program and leaves the script with its exit code when it fails.
function Invoke-Native {
    param(
        [Parameter(Mandatory)] [string]$FilePath,
        [string[]]$ArgumentList = @()
    )
    Write-Host "> $FilePath $($ArgumentList -join ' ')" -ForegroundColor Cyan
    # Windows PowerShell 5.1 turns a program's stderr into error records when the host redirects
    # it (CI runners); with 'Stop' the first warning line would abort the build. Judge by exit code.
    $ErrorActionPreference = 'Continue'
    & $FilePath @ArgumentList | Out-Host
    $exitCode = $LASTEXITCODE
    $ErrorActionPreference = 'Stop'
    if ($exitCode -ne 0) {
        Write-Host "$FilePath exited with code $exitCode." -ForegroundColor Red
        exit $exitCode
    }
}

function Test-IsLinux {
    # $IsLinux does not exist in Windows PowerShell 5.1, and strict mode forbids reading it there.
    (Test-Path -Path 'variable:IsLinux') -and (Get-Variable -Name IsLinux -ValueOnly)
}

function Invoke-BuildTask {
    Invoke-Native -FilePath 'dotnet' -ArgumentList @('build', $Solution, '-c', $Configuration)
    $manifest = Join-Path $ModuleDir 'StartTlsTools.psd1'
    if (-not (Test-Path -LiteralPath $manifest)) {
        throw "The build succeeded but left no module manifest at $manifest."
    }
    Write-Host "Module: $ModuleDir" -ForegroundColor Green
    Write-Host "  Import-Module '$manifest'"
}

function Invoke-DocsTask {
    $helpDir = Join-Path $ModuleDir 'en-US'
    $compiler = Join-Path $RepoRoot 'src/StartTlsTools.HelpCompiler/StartTlsTools.HelpCompiler.csproj'
    Invoke-Native -FilePath 'dotnet' -ArgumentList @('run', '--project', $compiler, '-c', $Configuration, '--', $DocsDir, $helpDir)
    foreach ($file in 'StartTlsTools.dll-Help.xml', 'about_StartTlsTools.help.txt') {
        if (-not (Test-Path -LiteralPath (Join-Path $helpDir $file))) {
            throw "The help compiler did not write $helpDir/$file."
        }
    }
    Write-Host "Help: $helpDir" -ForegroundColor Green
}

function Invoke-PesterTests {
    $pester = Get-Module -ListAvailable -Name Pester |
        Where-Object { $_.Version.Major -ge 5 } |
        Sort-Object -Property Version -Descending |
        Select-Object -First 1
    if (-not $pester) {
        Write-Warning 'Pester 5 is not installed, so tests/Pester did not run (Install-Module Pester -MinimumVersion 5.0 -Scope CurrentUser).'
        return
    }
    Import-Module -Name $pester.Path -Force

    $paths = @(Get-ChildItem -LiteralPath $PesterDir -Filter '*.Tests.ps1' | Select-Object -ExpandProperty FullName)
    $labDir = if ($env:STARTTLS_LAB_DIR) { $env:STARTTLS_LAB_DIR } else { '/tmp/starttlstools-lab' }
    if (-not (Test-Path -LiteralPath (Join-Path $labDir 'lab.env'))) {
        Write-Warning "The integration lab is not running ($labDir/lab.env is missing), so Test-StartTls.Tests.ps1 did not run. Start it with tests/lab/up.sh on Linux."
        $paths = @($paths | Where-Object { (Split-Path -Leaf $_) -ne 'Test-StartTls.Tests.ps1' })
    }
    if ($paths.Count -eq 0) { return }

    $config = New-PesterConfiguration
    $config.Run.Path = $paths
    $config.Run.PassThru = $true
    $config.Output.Verbosity = 'Detailed'
    $result = Invoke-Pester -Configuration $config
    if ($result.Result -ne 'Passed') {
        Write-Host "Pester: $($result.Result), $($result.FailedCount) failed test(s)." -ForegroundColor Red
        exit 1
    }
}

function Invoke-TestTask {
    $bash = Get-Command -Name bash -CommandType Application -ErrorAction SilentlyContinue | Select-Object -First 1
    if ((Test-IsLinux) -and $bash) {
        Invoke-Native -FilePath $bash.Source -ArgumentList @((Join-Path $RepoRoot 'tests/run-all.sh'))
        return
    }
    Invoke-Native -FilePath 'dotnet' -ArgumentList @('test', $Solution, '-c', $Configuration)
    Invoke-PesterTests
}

Push-Location -LiteralPath $RepoRoot
try {
    switch ($Task) {
        'Build' { Invoke-BuildTask }
        'Docs' { Invoke-DocsTask }
        'Test' { Invoke-TestTask }
        'All' {
            Invoke-BuildTask
            Invoke-DocsTask
            Invoke-TestTask
        }
    }
}
finally {
    Pop-Location
}
exit 0
