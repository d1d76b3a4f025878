using System.IO;
using StartTlsTools.Tests.Integration;

namespace StartTlsTools.Tests.Cmdlets
{
    /// <summary>The console front end against the lab's slapd, PostgreSQL and MariaDB, one protocol at a time.</summary>
    [Collection("Lab")]
    public class DirectoryAndDatabaseCliTests
    {
        private static (int Exit, string Out, string Err) Run(params string[] args)
        {
            var stdout = new StringWriter();
            var stderr = new StringWriter();
            int exit = StartTlsTools.Cli.Program.Run(args, stdout, stderr);
            return (exit, stdout.ToString(), stderr.ToString());
        }

        [Theory]
        [InlineData("ldap", "LAB_LDAP_PORT", "Ldap", "1.3.6.1.4.1.1466.20037")]
        [InlineData("postgresql", "LAB_POSTGRESQL_PORT", "PostgreSql", null)]
        [InlineData("mysql", "LAB_MYSQL_PORT", "MySql", "CLIENT_SSL")]
        public void Reports_an_upgrade_with_version_cipher_and_certificate(string protocol, string portKey, string shownAs, string? capability)
        {
            var (exit, output, error) = Run("test", "localhost", "--protocol", protocol, "--port", Lab.Current.LivePort(portKey).ToString(),
                "--trusted-root", Lab.Current["LAB_CA"]);

            Assert.True(exit == 0, error + output);
            Assert.Matches(@"(?m)^Protocol\s+: " + shownAs + "$", output);
            Assert.Matches(@"(?m)^Status\s+: Success$", output);
            Assert.Matches(@"(?m)^StartTlsOffered\s+: True$", output);
            Assert.Matches(@"(?m)^TlsVersion\s+: Tls13$", output);
            Assert.Matches(@"(?m)^CipherSuite\s+: TLS_\S+$", output);
            Assert.Matches(@"(?m)^CertificateValid\s+: True$", output);
            if (capability != null) Assert.Matches(@"(?m)^CapabilitiesBeforeTls\s+: .*" + capability, output);
        }

        [Fact]
        public void Ldaps_with_implicit_tls()
        {
            var (exit, output, error) = Run("test", "localhost", "-p", "Ldap", "--implicit-tls", "--port", Lab.Current.LivePort("LAB_LDAPS_PORT").ToString(),
                "--trusted-root", Lab.Current["LAB_CA"]);

            Assert.True(exit == 0, error + output);
            Assert.Matches(@"(?m)^ImplicitTls\s+: True$", output);
            Assert.Matches(@"(?m)^CapabilitiesAfterTls\s+: .*1\.3\.6\.1\.4\.1\.1466\.20037", output);
        }

        [Fact]
        public void Ldap_without_tls_exits_one_as_not_offered()
        {
            var (exit, output, _) = Run("test", "localhost", "-p", "ldap", "--port", Lab.Current.LivePort("LAB_LDAP_PLAIN_PORT").ToString(),
                "--trusted-root", Lab.Current["LAB_CA"]);

            Assert.Equal(1, exit);
            Assert.Matches(@"(?m)^Status\s+: NotOffered$", output);
            Assert.Matches(@"(?m)^StartTlsOffered\s+: False$", output);
        }

        [Fact]
        public void Postgresql_has_no_implicit_tls_port()
        {
            var (exit, output, error) = Run("test", "localhost", "-p", "postgresql", "--implicit-tls");

            Assert.Equal(2, exit);
            Assert.Contains("no standard implicit-TLS port", error);
            Assert.Equal("", output);
        }
    }
}
