using System;
using System.Collections.Generic;
using System.IO;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using System.Threading.Tasks;

namespace StartTlsTools.Tests.Integration
{
    /// <summary>
    /// The real servers started by tests/lab/up.sh, read from its lab.env. A missing lab is a failure,
    /// never a skip: CI must not pass by testing nothing.
    /// </summary>
    public sealed class Lab
    {
        private static readonly Lazy<Lab> Instance = new Lazy<Lab>(() => new Lab());
        private readonly Dictionary<string, string> _env = new Dictionary<string, string>();

        private Lab()
        {
            Directory = Environment.GetEnvironmentVariable("STARTTLS_LAB_DIR") is { Length: > 0 } dir ? dir : "/tmp/starttlstools-lab";
            string envFile = Path.Combine(Directory, "lab.env");
            if (!File.Exists(envFile))
                throw new InvalidOperationException($"The lab is not set up: {envFile} is missing. Run tests/lab/up.sh (the README's test command does).");
            foreach (string line in File.ReadAllLines(envFile))
            {
                int eq = line.IndexOf('=');
                if (line.StartsWith("#", StringComparison.Ordinal) || eq <= 0) continue;
                _env[line.Substring(0, eq)] = line.Substring(eq + 1);
            }
            Ca = X509CertificateLoader.LoadCertificateFromFile(this["LAB_CA"]);
        }

        public static Lab Current => Instance.Value;
        public string Directory { get; }
        public X509Certificate2 Ca { get; }

        public string this[string key] => _env.TryGetValue(key, out string? value)
            ? value
            : throw new InvalidOperationException($"lab.env has no {key}; re-run tests/lab/up.sh.");

        public int Port(string key) => int.Parse(this[key]);

        /// <summary>Fails loudly, naming the server, when a lab port does not answer.</summary>
        public int LivePort(string key)
        {
            int port = Port(key);
            try
            {
                using var probe = new TcpClient();
                probe.Connect("127.0.0.1", port);
            }
            catch (SocketException ex)
            {
                throw new InvalidOperationException($"Lab server {key} on 127.0.0.1:{port} is not running ({ex.SocketErrorCode}). Run tests/lab/up.sh.");
            }
            return port;
        }

        /// <summary>
        /// Tests LAB_HOSTNAME resolved to the address where Dovecot sees a remote client (it treats a client whose
        /// address equals its own as secure). The certificate name still matches. Only LAB_HOSTNAME resolves:
        /// nothing may reach the off-machine resolver.
        /// </summary>
        public Task<StartTlsResult> TestAsRemoteClientAsync(StartTlsProtocol protocol, string portKey, bool checkEnforcement = false)
        {
            string hostName = this["LAB_HOSTNAME"];
            IPAddress remoteView = IPAddress.Parse(this["LAB_REMOTE_VIEW_ADDRESS"]);
            var tester = new StartTlsTester(name => string.Equals(name, hostName, StringComparison.OrdinalIgnoreCase)
                ? Task.FromResult(new[] { remoteView })
                : throw new InvalidOperationException($"the lab resolves only {hostName}, not {name}"));
            var options = Options(protocol, portKey, host: hostName);
            options.CheckEnforcement = checkEnforcement;
            return tester.TestAsync(options);
        }

        /// <summary>What every lab server must show: TLS 1.3 after the upgrade, and the lab's certificate, valid for the name.</summary>
        public static void AssertUpgradedWithTheLabCertificate(StartTlsResult result, bool implicitTls)
        {
            Xunit.Assert.True(result.Status == StartTlsStatus.Success, result.Reason);
            Xunit.Assert.Equal(implicitTls ? null : true, result.StartTlsOffered);
            Xunit.Assert.True(result.TlsEstablished);
            Xunit.Assert.Equal(TlsProtocolVersion.Tls13, result.TlsVersion);
            Xunit.Assert.StartsWith("TLS_", result.CipherSuite);
            Xunit.Assert.True(result.CertificateValid, result.CertificateError);
            Xunit.Assert.True(result.HostnameMatches);
            Xunit.Assert.Contains("DNS:mail.lab.test", result.CertificateSubjectAlternativeNames!);
            Xunit.Assert.Equal(Lab.Current.Ca.Subject, result.CertificateIssuer);
        }

        public StartTlsTestOptions Options(StartTlsProtocol protocol, string portKey, bool implicitTls = false, bool trustLabCa = true, string host = "localhost")
        {
            var options = new StartTlsTestOptions
            {
                HostName = host,
                Protocol = protocol,
                Port = LivePort(portKey),
                ImplicitTls = implicitTls,
                EhloName = "client.lab.test",
                Timeout = TimeSpan.FromSeconds(10),
            };
            if (trustLabCa) options.TrustedRoots.Add(Ca);
            return options;
        }
    }
}
