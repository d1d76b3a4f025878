#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0.0' }
<#
    The module as shipped: manifest, exports, and help for every exported command.
    Needs the module built into out/StartTlsTools (dotnet build); no network. The shared bootstrap
    (Common.ps1) also reads the lab's lab.env, so the lab must be up (tests/run-all.sh starts it).

    Help: the Markdown sources in docs/en-US are always checked. The compiled help (MAML, made by
    ./build.ps1 -Task Docs) can only exist where PlatyPS is installed, so those tests are skipped
    only there; wherever PlatyPS is installed they run, and missing compiled help is a failure.
    tests/run-all.sh compiles the help before Pester for that reason.
#>

BeforeDiscovery {
    $repoRoot = Split-Path -Parent (Split-Path -Parent $PSScriptRoot)
    $moduleDir = Join-Path $repoRoot 'out/StartTlsTools'
    $sourceManifest = Import-PowerShellDataFile -Path (Join-Path $repoRoot 'StartTlsTools.psd1')
    $cmdletNames = @($sourceManifest.CmdletsToExport)
}

BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')
    $builtManifestPath = $ModuleManifest
    $sourceManifestPath = Join-Path $RepoRoot 'StartTlsTools.psd1'
    $docsDir = Join-Path $RepoRoot 'docs/en-US'
    $module = Get-Module -Name StartTlsTools

    # Parameters every cmdlet has; they are documented under CommonParameters, not one by one.
    $commonParameters = @(
        'Verbose', 'Debug', 'ErrorAction', 'WarningAction', 'InformationAction', 'ProgressAction',
        'ErrorVariable', 'WarningVariable', 'InformationVariable', 'OutVariable', 'OutBuffer',
        'PipelineVariable', 'WhatIf', 'Confirm', 'UseTransaction'
    )

    function Get-DocumentedParameter {
        param([string]$CommandName)
        (Get-Command -Name $CommandName).Parameters.Keys |
            Where-Object { $commonParameters -notcontains $_ } |
            Sort-Object
    }
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

Describe 'Help for <_>' -ForEach $cmdletNames {

    BeforeAll {
        $commandName = $_
        $markdownPath = Join-Path $docsDir "$commandName.md"
    }

    Context 'Markdown source (docs/en-US)' {

        It 'has a PlatyPS Markdown file' {
            $markdownPath | Should -Exist
        }

        It 'names the module and the MAML file in its front matter' {
            $text = Get-Content -LiteralPath $markdownPath -Raw
            $text | Should -Match '(?m)^external help file: StartTlsTools\.dll-Help\.xml\s*$'
            $text | Should -Match '(?m)^Module Name: StartTlsTools\s*$'
            $text | Should -Match '(?m)^schema: 2\.0\.0\s*$'
            $text | Should -Match "(?m)^# $([regex]::Escape($commandName))\s*$"
        }

        It 'has a synopsis' {
            $text = Get-Content -LiteralPath $markdownPath -Raw
            $text | Should -Match '(?ms)^## SYNOPSIS\s*\r?\n\s*\S'
        }

        It 'documents every parameter, and no parameter that does not exist' {
            $lines = Get-Content -LiteralPath $markdownPath
            $documented = @($lines | Where-Object { $_ -match '^### -(\w+)\s*$' } | ForEach-Object { $Matches[1] } | Sort-Object)
            ($documented -join ',') | Should -Be (@(Get-DocumentedParameter -CommandName $commandName) -join ',')
        }

        It 'has at least six examples' {
            @(Get-Content -LiteralPath $markdownPath | Where-Object { $_ -match '^### Example \d+' }).Count |
                Should -BeGreaterOrEqual 6
        }
    }

    # build.ps1 -Task Docs (run by tests/run-all.sh before Pester) compiles this help; it installs platyPS or fails.
    Context 'Compiled help (MAML)' {

        It 'has a synopsis in Get-Help' {
            $help = Get-Help -Name $commandName -Full
            $help.Synopsis | Should -Not -BeNullOrEmpty
            # Without MAML, Get-Help falls back to the syntax line as the synopsis.
            $help.Synopsis.Trim() | Should -Not -BeLike "$commandName *"
        }

        It 'has examples and a description for every parameter in Get-Help' {
            $help = Get-Help -Name $commandName -Full
            @($help.Examples.Example).Count | Should -BeGreaterOrEqual 6
            foreach ($name in Get-DocumentedParameter -CommandName $commandName) {
                $parameter = $help.Parameters.Parameter | Where-Object Name -eq $name
                $parameter | Should -Not -BeNullOrEmpty -Because "-$name must be in the help"
                ($parameter.Description | Out-String).Trim() | Should -Not -BeNullOrEmpty -Because "-$name needs a description"
            }
        }
    }
}

Describe 'About topic' {

    It 'has a Markdown source' {
        Join-Path $docsDir 'about_StartTlsTools.help.md' | Should -Exist
    }

    It 'is compiled to about_StartTlsTools.help.txt' {
        Join-Path $moduleDir 'en-US/about_StartTlsTools.help.txt' | Should -Exist
    }
}
