#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0.0' }
<#
    The module as shipped: manifest and exports. Needs the module built into out/StartTlsTools
    (dotnet build); no network. The shared bootstrap (Common.ps1) also reads the lab's lab.env, so the
    lab must be up (tests/run-all.sh starts it). The help is tested in Help.Tests.ps1.
#>

BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')
    $builtManifestPath = $ModuleManifest
    $moduleDir = $ModuleDir
    $sourceManifestPath = Join-Path $RepoRoot 'StartTlsTools.psd1'
    $module = Get-Module -Name StartTlsTools
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
