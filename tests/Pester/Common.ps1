<#
    The one bootstrap every Pester file shares. Dot-source it in a BeforeAll block:

        BeforeAll { . (Join-Path $PSScriptRoot 'Common.ps1') }

    It imports the built module from out/StartTlsTools (dotnet build leaves it there) and reads the
    integration lab's lab.env (tests/lab/up.sh writes it). It never skips: a missing module or lab is
    a thrown error, so every test in the file fails and says why.

    Gives the calling scope:
      $RepoRoot        the repository root
      $ModuleDir       out/StartTlsTools
      $ModuleManifest  out/StartTlsTools/StartTlsTools.psd1
      $LabDir          $env:STARTTLS_LAB_DIR or /tmp/starttlstools-lab
      $Lab             lab.env as a hashtable; all-digit values are [int]
      $Ca              the lab CA as an X509Certificate2
      $LabPassword     the lab user's password as a SecureString (never printed)
      $LabCredential   PSCredential for the lab user
      Get-LabPort      Get-LabPort SMTP  ->  $Lab.LAB_SMTP_PORT, throwing when lab.env lacks it
      Invoke-FreshPwsh runs a script block's text in a new pwsh -NoProfile -NonInteractive and returns its output
#>

$RepoRoot = Split-Path -Parent (Split-Path -Parent $PSScriptRoot)
$ModuleDir = Join-Path $RepoRoot 'out/StartTlsTools'
$ModuleManifest = Join-Path $ModuleDir 'StartTlsTools.psd1'
if (-not (Test-Path -LiteralPath $ModuleManifest)) {
    throw "The module is not built: $ModuleManifest is missing. Run 'dotnet build StartTlsTools.sln' or './build.ps1'."
}
Import-Module -Name $ModuleManifest -Force -ErrorAction Stop

$LabDir = if ($env:STARTTLS_LAB_DIR) { $env:STARTTLS_LAB_DIR } else { '/tmp/starttlstools-lab' }
$labEnvPath = Join-Path $LabDir 'lab.env'
if (-not (Test-Path -LiteralPath $labEnvPath)) {
    throw "The integration lab is not running: $labEnvPath is missing. Start it with 'bash tests/lab/up.sh'."
}

# lab.env: KEY=VALUE lines, no quoting; '#' starts a comment line.
$Lab = @{}
foreach ($line in Get-Content -LiteralPath $labEnvPath) {
    if ($line -match '^\s*(#|$)') { continue }
    $key, $value = $line -split '=', 2
    $value = $value.Trim()
    if ($value -match '^\d+$') { $value = [int]$value }
    $Lab[$key.Trim()] = $value
}

function Get-LabPort {
    param([Parameter(Mandatory)] [string]$Name)
    $key = "LAB_$($Name.ToUpperInvariant())_PORT"
    if (-not $Lab.ContainsKey($key)) { throw "$labEnvPath has no $key." }
    $Lab[$key]
}

# .NET resolves relative paths against the process directory, not the PowerShell location.
$caPath = $Lab.LAB_CA
if (-not [System.IO.Path]::IsPathRooted($caPath)) { $caPath = Join-Path $LabDir $caPath }
$Ca = [System.Security.Cryptography.X509Certificates.X509Certificate2]::new($caPath)

$LabPassword = ConvertTo-SecureString -String (Get-Content -LiteralPath $Lab.LAB_PASSWORD_FILE -Raw).Trim() -AsPlainText -Force
$LabCredential = [System.Management.Automation.PSCredential]::new($Lab.LAB_USER, $LabPassword)

function Invoke-FreshPwsh {
    param(
        [Parameter(Mandatory)] [string]$Command,
        [hashtable]$Environment = @{}
    )
    # Started as a .NET tool (dotnet tool run pwsh), this process is dotnet itself: start pwsh.dll through it.
    $processPath = (Get-Process -Id $PID).Path
    $pwshArguments = @()
    if ([System.IO.Path]::GetFileNameWithoutExtension($processPath) -eq 'dotnet') { $pwshArguments += Join-Path $PSHOME 'pwsh.dll' }
    $saved = @{}
    foreach ($name in $Environment.Keys) {
        $saved[$name] = [Environment]::GetEnvironmentVariable($name)
        [Environment]::SetEnvironmentVariable($name, $Environment[$name])
    }
    try {
        & $processPath @pwshArguments -NoProfile -NonInteractive -Command $Command 2>&1
    }
    finally {
        foreach ($name in $saved.Keys) { [Environment]::SetEnvironmentVariable($name, $saved[$name]) }
    }
}
