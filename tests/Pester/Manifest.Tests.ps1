#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0.0' }
<#
    The module as shipped: manifest and exports. Needs the module built into out/StartTlsTools
    (dotnet build); no network, no lab. The help is tested in Help.Tests.ps1.
#>

BeforeAll {
    $repoRoot = Split-Path -Parent (Split-Path -Parent $PSScriptRoot)
    $moduleDir = Join-Path $repoRoot 'out/StartTlsTools'
    $builtManifestPath = Join-Path $moduleDir 'StartTlsTools.psd1'
    $sourceManifestPath = Join-Path $repoRoot 'StartTlsTools.psd1'
    if (-not (Test-Path -LiteralPath $builtManifestPath)) {
        throw "The module is not built: $builtManifestPath is missing. Run 'dotnet build StartTlsTools.sln' or './build.ps1'."
    }
    $module = Import-Module -Name $builtManifestPath -Force -PassThru -ErrorAction Stop
}

AfterAll {
    Remove-Module -Name StartTlsTools -ErrorAction SilentlyContinue
}

Describe 'StartTlsTools module manifest' {

    It 'passes Test-ModuleManifest' {
        { Test-ModuleManifest -Path $builtManifestPath -ErrorAction Stop } | Should -Not -Throw
    }

    It 'is the same file as the source manifest' {
        (Get-FileHash -LiteralPath $builtManifestPath).Hash | Should -Be (Get-FileHash -LiteralPath $sourceManifestPath).Hash
    }

    It 'ships every file it names' {
        $data = Import-PowerShellDataFile -Path $builtManifestPath
        Join-Path $moduleDir $data.RootModule | Should -Exist
        foreach ($format in $data.FormatsToProcess) { Join-Path $moduleDir $format | Should -Exist }
        Join-Path $moduleDir 'StartTlsTools.Core.dll' | Should -Exist
    }

    It 'exports exactly the commands in CmdletsToExport' {
        $declared = @((Import-PowerShellDataFile -Path $builtManifestPath).CmdletsToExport | Sort-Object)
        $declared.Count | Should -BeGreaterThan 0
        (@($module.ExportedCommands.Keys | Sort-Object) -join ',') | Should -Be ($declared -join ',')
        (@($module.ExportedCmdlets.Keys | Sort-Object) -join ',') | Should -Be ($declared -join ',')
        ((Test-ModuleManifest -Path $builtManifestPath).ExportedCmdlets.Keys | Sort-Object) -join ',' |
            Should -Be ($declared -join ',')
    }

    It 'exports no functions, variables or aliases' {
        $module.ExportedFunctions.Count | Should -Be 0
        $module.ExportedVariables.Count | Should -Be 0
        $module.ExportedAliases.Count | Should -Be 0
    }
}
