BeforeAll { . (Join-Path $PSScriptRoot 'Common.ps1') }
<#
    The help as Get-Help shows it. dotnet build compiles docs/en-US (PlatyPS Markdown, schema 2.0.0) into
    out/StartTlsTools/en-US with src/StartTlsTools.HelpCompiler, offline; nothing here skips.

    Per exported cmdlet (CmdletsToExport in StartTlsTools.psd1): synopsis, description, every parameter of
    Get-Command with its description, type, default value and pipeline input, the examples with code and remarks,
    related links led by the online version, inputs and outputs, and a HelpUri that is that online version.
#>

BeforeDiscovery {
    $repoRoot = Split-Path -Parent (Split-Path -Parent $PSScriptRoot)
    $cmdletNames = @((Import-PowerShellDataFile -Path (Join-Path $repoRoot 'StartTlsTools.psd1')).CmdletsToExport)
}

Describe 'Help for <_>' -ForEach $cmdletNames {

    BeforeAll {
        $commandName = $_
        $command = Get-Command -Name $commandName
        $help = Get-Help -Name $commandName -Full
        $minimumExamples = if ($commandName -eq 'Test-StartTls') { 6 } else { 3 }

        $markdownPath = Join-Path $RepoRoot "docs/en-US/$commandName.md"
        # The "key: value" lines between the page's two '---' lines.
        $frontMatter = @{}
        $header = ((Get-Content -LiteralPath $markdownPath -Raw) -split '\r?\n---\r?\n', 2)[0]
        foreach ($line in $header -split '\r?\n') {
            if ($line -match '^([^:]+):(.*)$') { $frontMatter[$Matches[1].Trim()] = $Matches[2].Trim() }
        }

        $commonParameters = [System.Management.Automation.PSCmdlet]::CommonParameters + [System.Management.Automation.PSCmdlet]::OptionalCommonParameters
        $parameterNames = @($command.Parameters.Keys | Where-Object { $commonParameters -notcontains $_ } | Sort-Object)

        # "Accept pipeline input" in PlatyPS's words, from the parameter's attributes.
        function Get-PipelineInput {
            param([System.Management.Automation.ParameterMetadata]$Parameter)
            $attributes = @($Parameter.Attributes | Where-Object { $_ -is [System.Management.Automation.ParameterAttribute] })
            $ways = @()
            if ($attributes | Where-Object ValueFromPipelineByPropertyName) { $ways += 'ByPropertyName' }
            if ($attributes | Where-Object ValueFromPipeline) { $ways += 'ByValue' }
            if ($ways.Count -eq 0) { 'False' } else { "True ($($ways -join ', '))" }
        }
    }

    It 'has a page in docs/en-US whose front matter names the module, the MAML file and schema 2.0.0' {
        $markdownPath | Should -Exist
        $frontMatter['external help file'] | Should -Be 'StartTlsTools.dll-Help.xml'
        $frontMatter['Module Name'] | Should -Be 'StartTlsTools'
        $frontMatter['schema'] | Should -Be '2.0.0'
    }

    It 'comes from the compiled MAML, with a synopsis and a description' {
        Join-Path $ModuleDir 'en-US/StartTlsTools.dll-Help.xml' | Should -Exist
        $help.Name | Should -Be $commandName
        $help.Synopsis | Should -Not -BeNullOrEmpty
        # Without MAML, Get-Help makes the synopsis out of the syntax line.
        $help.Synopsis.Trim() | Should -Not -BeLike "$commandName *"
        ($help.description | Out-String).Trim() | Should -Not -BeNullOrEmpty
    }

    It 'documents every parameter, and only those, with description, type, default value and pipeline input' {
        $parameterNames.Count | Should -BeGreaterThan 0
        (@($help.parameters.parameter.name | Sort-Object) -join ',') | Should -Be ($parameterNames -join ',')
        foreach ($name in $parameterNames) {
            $parameter = $help.parameters.parameter | Where-Object name -EQ $name
            ($parameter.description | Out-String).Trim() | Should -Not -BeNullOrEmpty -Because "-$name needs a description"
            $parameter.type.name | Should -Be $command.Parameters[$name].ParameterType.Name -Because "-$name has that type"
            $parameter.defaultValue | Should -Not -BeNullOrEmpty -Because "-$name needs a default value"
            $parameter.pipelineInput | Should -Be (Get-PipelineInput $command.Parameters[$name]) -Because "-$name binds from the pipeline that way"
        }
    }

    It 'has at least three examples (six for Test-StartTls), each with code and remarks' {
        $examples = @($help.examples.example)
        $examples.Count | Should -BeGreaterOrEqual $minimumExamples
        foreach ($example in $examples) {
            $example.title | Should -Match 'Example \d+'
            $example.code | Should -Not -BeNullOrEmpty -Because "$($example.title) needs code"
            ($example.remarks | Out-String).Trim() | Should -Not -BeNullOrEmpty -Because "$($example.title) needs remarks"
        }
    }

    It 'prints every example with Get-Help -Examples' {
        $text = Get-Help -Name $commandName -Examples | Out-String -Width 250
        foreach ($example in @($help.examples.example)) {
            $text | Should -Match ([regex]::Escape($example.title.Trim('-', ' ')))
            $text | Should -Match ([regex]::Escape(($example.code -split '\r?\n')[0]))
        }
    }

    It 'has inputs, and outputs that include every [OutputType]' {
        @($help.inputTypes.inputType).Count | Should -BeGreaterThan 0
        foreach ($inputType in @($help.inputTypes.inputType)) { $inputType.type.name | Should -Not -BeNullOrEmpty }
        $outputs = @($help.returnValues.returnValue.type.name)
        $command.OutputType.Count | Should -BeGreaterThan 0
        foreach ($outputType in $command.OutputType) { $outputs | Should -Contain $outputType.Name }
    }

    It 'has related links led by the online version' {
        $links = @($help.relatedLinks.navigationLink)
        $links.Count | Should -BeGreaterOrEqual 2
        $links[0].uri | Should -Be $frontMatter['online version']
        foreach ($link in $links) { $link.uri | Should -BeLike 'https://*' -Because "$($link.linkText) is a link" }
    }

    It 'has an https HelpUri that is the online version of its page' {
        $frontMatter['online version'] | Should -Be "https://github.com/starttlstools/StartTlsTools/blob/main/docs/en-US/$commandName.md"
        $command.HelpUri | Should -Be $frontMatter['online version']
        ([uri]$command.HelpUri).Scheme | Should -Be 'https'
    }
}

Describe 'about_StartTlsTools' {

    It 'is compiled into the module folder' {
        Join-Path $ModuleDir 'en-US/about_StartTlsTools.help.txt' | Should -Exist
    }

    It 'is the topic Get-Help about_StartTlsTools prints' {
        $text = Get-Help -Name about_StartTlsTools | Out-String
        $text | Should -Match '(?m)^TOPIC\s*$'
        $text | Should -Match '(?m)^\s+about_starttlstools\s*$'
        $text | Should -Match '(?m)^SHORT DESCRIPTION\s*$'
        $text | Should -Match '(?m)^LONG DESCRIPTION\s*$'
        $text | Should -Match 'Test-StartTls'
    }
}

Describe 'Help in a fresh pwsh -NoProfile' {

    BeforeAll {
        $enterRepo = "Set-Location -LiteralPath '$($RepoRoot -replace "'", "''")'"
    }

    It 'prints the examples after Import-Module ./out/StartTlsTools' {
        $text = (Invoke-FreshPwsh -Command "$enterRepo; Import-Module ./out/StartTlsTools; Get-Help Test-StartTls -Examples | Out-String -Width 250") -join "`n"
        $text | Should -Match 'Example 1: Test STARTTLS on an SMTP server'
        $text | Should -Match 'Test-StartTls -HostName mail\.contoso\.com'
        $text | Should -Match 'Example 6: '
    }

    It 'prints about_StartTlsTools after Import-Module ./out/StartTlsTools' {
        $text = (Invoke-FreshPwsh -Command "$enterRepo; Import-Module ./out/StartTlsTools; Get-Help about_StartTlsTools | Out-String") -join "`n"
        $text | Should -Match 'about_starttlstools'
        $text | Should -Match 'SHORT DESCRIPTION'
    }
}
