#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0.0' }
<#
    The packages people install, as ./build.ps1 -Task Package makes them (built afresh here every run):
      out/packages/StartTlsTools.zip              the Azure Automation import: checked entry by entry, then
                                                  extracted and imported by name in a fresh pwsh;
      out/packages/StartTlsTools.<version>.nupkg  installed back with Install-PSResource from the local
                                                  repository into an empty module path, imported in a fresh
                                                  pwsh -NoProfile -NonInteractive, and run against the lab.

    Every PSResourceGet call happens in a child pwsh whose HOME (or XDG_DATA_HOME) is under $TestDrive,
    so no repository registration or installed module reaches the real user's settings.
#>

Describe 'Packages from build.ps1 -Task Package' {

    BeforeAll {
        . (Join-Path $PSScriptRoot 'Common.ps1')
        Add-Type -AssemblyName System.IO.Compression, System.IO.Compression.FileSystem

        $Version = (Import-PowerShellDataFile -LiteralPath (Join-Path $RepoRoot 'StartTlsTools.psd1')).ModuleVersion
        $PackageDir = Join-Path $RepoRoot 'out/packages'
        $ZipPath = Join-Path $PackageDir 'StartTlsTools.zip'
        $NupkgPath = Join-Path $PackageDir "StartTlsTools.$Version.nupkg"
        $UserRepositoryList = Join-Path ([Environment]::GetFolderPath('LocalApplicationData')) 'PSResourceGet/PSResourceRepository.xml'
        $UserRepositoryListBefore = if (Test-Path -LiteralPath $UserRepositoryList) { Get-Content -LiteralPath $UserRepositoryList -Raw } else { $null }

        # Same configuration as the test command's build, so the module this process has loaded is not rewritten.
        $buildData = Join-Path $TestDrive 'xdg-build'
        $output = Invoke-FreshPwsh -Command "& '$RepoRoot/build.ps1' -Task Package" -Environment @{ XDG_DATA_HOME = $buildData }
        $BuildExitCode = $LASTEXITCODE
        $BuildLog = ($output | Out-String)

        # What the zip must hold: the module files by name, plus the compiled help wherever the build made it.
        $ExpectedEntries = @('StartTlsTools.psd1', 'StartTlsTools.dll', 'StartTlsTools.Core.dll', 'StartTlsTools.Format.ps1xml', 'LICENSE')
        $helpDir = Join-Path $ModuleDir 'en-US'
        if (Test-Path -LiteralPath $helpDir) {
            $ExpectedEntries += @(Get-ChildItem -LiteralPath $helpDir -File -Recurse |
                ForEach-Object { 'en-US/' + $_.FullName.Substring($helpDir.Length + 1).Replace('\', '/') })
        }
        $ExpectedEntries = @($ExpectedEntries | ForEach-Object { "StartTlsTools/$_" } | Sort-Object)

        function Get-ZipEntry {
            param([string]$Path)
            $zip = [System.IO.Compression.ZipFile]::OpenRead($Path)
            try {
                foreach ($entry in $zip.Entries) {
                    $stream = $entry.Open()
                    try {
                        $sha = [System.Security.Cryptography.SHA256]::Create()
                        $hash = [System.BitConverter]::ToString($sha.ComputeHash($stream)).Replace('-', '')
                    }
                    finally { $stream.Dispose() }
                    [pscustomobject]@{ Name = $entry.FullName; Length = $entry.Length; Sha256 = $hash }
                }
            }
            finally { $zip.Dispose() }
        }

        # The last line of a child's output that parses as JSON (a child also prints errors, if any).
        function ConvertFrom-ChildJson {
            param([object[]]$Output)
            $line = @($Output | ForEach-Object { "$_" } | Where-Object { $_.StartsWith('{') }) | Select-Object -Last 1
            if (-not $line) { throw "The child pwsh printed no JSON:`n$($Output | Out-String)" }
            $line | ConvertFrom-Json
        }
    }

    It 'builds the zip and the nupkg' {
        $BuildExitCode | Should -Be 0 -Because $BuildLog
        $ZipPath | Should -Exist
        $NupkgPath | Should -Exist
    }

    Context 'The Azure Automation zip' {

        BeforeAll {
            $Entries = @(Get-ZipEntry -Path $ZipPath)
        }

        It 'shares its name with the module folder at its root and with the manifest' {
            [System.IO.Path]::GetFileNameWithoutExtension($ZipPath) | Should -Be 'StartTlsTools'
            $Entries.Name | Should -Contain 'StartTlsTools/StartTlsTools.psd1'
            foreach ($entry in $Entries) { $entry.Name | Should -BeLike 'StartTlsTools/*' }
        }

        It 'holds exactly the manifest, both DLLs, the format file, LICENSE and any compiled help' {
            (@($Entries.Name | Sort-Object) -join "`n") | Should -Be ($ExpectedEntries -join "`n")
        }

        It 'writes entry <_> with forward slashes and the bytes the build made' -ForEach @(
            'StartTlsTools.psd1', 'StartTlsTools.dll', 'StartTlsTools.Core.dll', 'StartTlsTools.Format.ps1xml'
        ) {
            $entry = $Entries | Where-Object Name -eq "StartTlsTools/$_"
            $entry | Should -Not -BeNullOrEmpty
            $entry.Name | Should -Not -Match '\\'
            $entry.Sha256 | Should -Be (Get-FileHash -LiteralPath (Join-Path $ModuleDir $_) -Algorithm SHA256).Hash
        }

        It 'carries LICENSE from the repository root' {
            ($Entries | Where-Object Name -eq 'StartTlsTools/LICENSE').Sha256 |
                Should -Be (Get-FileHash -LiteralPath (Join-Path $RepoRoot 'LICENSE') -Algorithm SHA256).Hash
        }

        It 'has the release metadata in its manifest' {
            $extracted = Join-Path $TestDrive 'zip-manifest'
            $zip = [System.IO.Compression.ZipFile]::OpenRead($ZipPath)
            try {
                $null = New-Item -ItemType Directory -Force -Path $extracted
                [System.IO.Compression.ZipFileExtensions]::ExtractToFile($zip.GetEntry('StartTlsTools/StartTlsTools.psd1'), (Join-Path $extracted 'StartTlsTools.psd1'))
            }
            finally { $zip.Dispose() }
            $data = Import-PowerShellDataFile -LiteralPath (Join-Path $extracted 'StartTlsTools.psd1')
            $data.ModuleVersion | Should -Be $Version
            $data.PrivateData.PSData.ProjectUri | Should -Be 'https://github.com/starttlstools/StartTlsTools'
            $data.PrivateData.PSData.LicenseUri | Should -Be 'https://github.com/starttlstools/StartTlsTools/blob/main/LICENSE'
            $data.PrivateData.PSData.ReleaseNotes | Should -Match ([regex]::Escape($Version))
            $data.PrivateData.PSData.Tags | Should -Contain 'STARTTLS'
        }

        It 'imports by name from the extracted zip in a fresh pwsh, as Automation loads it' {
            $modules = Join-Path $TestDrive 'zip-modules'
            [System.IO.Compression.ZipFile]::ExtractToDirectory($ZipPath, $modules)
            $output = Invoke-FreshPwsh -Command @"
`$env:PSModulePath = '$modules' + [System.IO.Path]::PathSeparator + (Join-Path `$PSHOME 'Modules')
Import-Module -Name StartTlsTools -ErrorAction Stop
`$module = Get-Module -Name StartTlsTools
[pscustomobject]@{ ModuleBase = `$module.ModuleBase; Cmdlets = @(`$module.ExportedCmdlets.Keys | Sort-Object) } | ConvertTo-Json -Compress
"@
            $loaded = ConvertFrom-ChildJson -Output $output
            $loaded.ModuleBase | Should -Be (Join-Path $modules 'StartTlsTools')
            ($loaded.Cmdlets -join ',') | Should -Be ((@((Get-Module StartTlsTools).ExportedCmdlets.Keys) | Sort-Object) -join ',')
        }
    }

    Context 'The PowerShell repository package' {

        BeforeAll {
            $zip = [System.IO.Compression.ZipFile]::OpenRead($NupkgPath)
            try {
                $NupkgEntries = @($zip.Entries | ForEach-Object FullName)
                $reader = [System.IO.StreamReader]::new($zip.GetEntry('StartTlsTools.nuspec').Open())
                try { $Nuspec = [xml]$reader.ReadToEnd() } finally { $reader.Dispose() }
            }
            finally { $zip.Dispose() }
            $Metadata = $Nuspec.package.metadata
        }

        It 'describes the module in its nuspec' {
            $Metadata.id | Should -Be 'StartTlsTools'
            $Metadata.version | Should -Be $Version
            $Metadata.projectUrl | Should -Be 'https://github.com/starttlstools/StartTlsTools'
            $Metadata.licenseUrl | Should -Be 'https://github.com/starttlstools/StartTlsTools/blob/main/LICENSE'
            $Metadata.releaseNotes | Should -Not -BeNullOrEmpty
            -split $Metadata.tags | Should -Contain 'STARTTLS'
            -split $Metadata.tags | Should -Contain 'PSEdition_Core'
        }

        It 'holds the module files at the package root' {
            foreach ($file in 'StartTlsTools.psd1', 'StartTlsTools.dll', 'StartTlsTools.Core.dll', 'StartTlsTools.Format.ps1xml', 'LICENSE') {
                $NupkgEntries | Should -Contain $file
            }
        }

        It 'installs with Install-PSResource into an empty module path and tests the lab from a fresh pwsh' {
            $home_ = Join-Path $TestDrive 'home'
            $null = New-Item -ItemType Directory -Force -Path $home_
            # .NET reports a missing LocalApplicationData as '', and PSResourceGet would then use the current directory.
            $null = New-Item -ItemType Directory -Force -Path (Join-Path $home_ '.local/share')
            $userModules = Join-Path $home_ '.local/share/powershell/Modules'
            $userModules | Should -Not -Exist
            # HOME decides where -Scope CurrentUser installs and where PSResourceGet keeps its repository list.
            $isolated = @{ HOME = $home_; XDG_DATA_HOME = (Join-Path $home_ '.local/share') }

            $install = Invoke-FreshPwsh -Environment $isolated -Command @"
`$ErrorActionPreference = 'Stop'
Register-PSResourceRepository -Name StartTlsToolsTest -Uri '$PackageDir' -Trusted
try {
    Install-PSResource -Name StartTlsTools -Version '$Version' -Repository StartTlsToolsTest -Scope CurrentUser -TrustRepository -Quiet
}
finally {
    Unregister-PSResourceRepository -Name StartTlsToolsTest
}
[pscustomobject]@{ Installed = @(Get-InstalledPSResource -Name StartTlsTools -Scope CurrentUser | ForEach-Object { "`$(`$_.Version)" }) } | ConvertTo-Json -Compress
"@
            (ConvertFrom-ChildJson -Output $install).Installed | Should -Be $Version
            Join-Path $userModules "StartTlsTools/$Version/StartTlsTools.psd1" | Should -Exist

            $run = Invoke-FreshPwsh -Environment $isolated -Command @"
`$env:PSModulePath = '$userModules' + [System.IO.Path]::PathSeparator + (Join-Path `$PSHOME 'Modules')
`$ErrorActionPreference = 'Stop'
Import-Module -Name StartTlsTools
`$ca = [System.Security.Cryptography.X509Certificates.X509Certificate2]::new('$($Lab.LAB_CA)')
`$result = Test-StartTls -HostName localhost -Port $(Get-LabPort SMTP) -TrustedRootCertificate `$ca -TimeoutSeconds 10
[pscustomobject]@{
    ModuleBase       = (Get-Module -Name StartTlsTools).ModuleBase
    Status           = "`$(`$result.Status)"
    TlsVersion       = "`$(`$result.TlsVersion)"
    CertificateValid = `$result.CertificateValid
} | ConvertTo-Json -Compress
"@
            $tested = ConvertFrom-ChildJson -Output $run
            $tested.ModuleBase | Should -Be (Join-Path $userModules "StartTlsTools/$Version")
            $tested.Status | Should -Be 'Success'
            $tested.TlsVersion | Should -Be 'Tls13'
            $tested.CertificateValid | Should -BeTrue
        }

        It 'leaves no PSResourceGet settings folder in the repository (or wherever it was run from)' {
            Join-Path $RepoRoot 'PSResourceGet' | Should -Not -Exist
            Join-Path ([Environment]::CurrentDirectory) 'PSResourceGet' | Should -Not -Exist
        }

        It "leaves the real user's PSResourceGet repository list as it was" {
            $now = if (Test-Path -LiteralPath $UserRepositoryList) { Get-Content -LiteralPath $UserRepositoryList -Raw } else { $null }
            $now | Should -Be $UserRepositoryListBefore
            "$now" | Should -Not -Match 'StartTlsTools'
        }
    }
}
