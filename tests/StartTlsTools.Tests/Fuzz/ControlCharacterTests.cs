using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using System.Threading.Tasks;
using StartTlsTools.Tests.Hostile;
using StartTlsTools.Tests.Support;

namespace StartTlsTools.Tests.Fuzz
{
    /// <summary>
    /// Server text is inert: every C0 and C1 control character (and DEL), sent by a fake server in every place a
    /// result keeps server text (banner, replies, capabilities before and after TLS, certificate names, reasons,
    /// findings, transcript), never reaches a field, the CLI's text output or its JSON as a raw control character.
    /// Tab is the one exception and stays a tab.
    /// </summary>
    [Collection(HostileSuite.Name)]
    public sealed class ControlCharacterTests
    {
        /// <summary>A self-signed certificate whose names carry every control character: C1 in the subject, C0 in a DNS SAN.</summary>
        private static readonly Lazy<X509Certificate2> EvilCertificate = new Lazy<X509Certificate2>(() =>
        {
            using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            var name = new X500DistinguishedNameBuilder();
            name.AddOrganizationName("Evil " + new string(Controls().Select(c => (char)c).ToArray()));
            name.AddCommonName("localhost");
            var request = new CertificateRequest(name.Build(), key, HashAlgorithmName.SHA256);
            // A SAN built by hand: .NET's builder would refuse these bytes, a server's certificate need not.
            byte[] dns = Encoding.ASCII.GetBytes("local" + new string(Enumerable.Range(0, 0x20).Append(0x7F).Select(c => (char)c).ToArray()) + "host");
            byte[] entry = new byte[] { 0x82, (byte)dns.Length }.Concat(dns).ToArray();
            byte[] sequence = new byte[] { 0x30, (byte)entry.Length }.Concat(entry).ToArray();
            request.CertificateExtensions.Add(new X509Extension("2.5.29.17", sequence, false));
            using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(90));
            return TestCertificates.ForServer(certificate);
        });

        private static IEnumerable<int> Controls() => Enumerable.Range(0, 0x20).Concat(Enumerable.Range(0x7F, 0x21));

        public static IEnumerable<object[]> EveryControlCharacter() => Controls().Select(c => new object[] { c });

        [Theory]
        [MemberData(nameof(EveryControlCharacter))]
        public async Task Every_control_character_in_every_field_is_made_visible(int code)
        {
            string c = ((char)code).ToString();
            _ = EvilCertificate.Value;

            // 1. All the way to TLS: banner, EHLO keywords before and after TLS, the go-ahead, certificate names.
            var upgraded = await HostileCase.RunAsync((client, cancel) => TlsSmtpScript.RunAsync(client, cancel, EvilCertificate.Value,
                greeting: $"220 mx{c}.example ESMTP {c}ready\r\n",
                ehlo: $"250-mx.example{c}\r\n250-X{c}CAP\r\n250 STARTTLS\r\n",
                goAhead: $"220 2.0.0 Go{c}ahead\r\n",
                ehloOverTls: $"250-mx.example\r\n250-AUTH{c} PLAIN\r\n250 SIZE{c}\r\n"));
            AssertInert(upgraded.Result, code);
            if (code != '\n')
            {
                Assert.Equal(StartTlsStatus.Success, upgraded.Result.Status);
                Assert.Contains(Visible(code), upgraded.Result.Banner);
                Assert.Contains(upgraded.Result.CapabilitiesBeforeTls!, item => item.Contains(Visible(code)));
                Assert.Contains(upgraded.Result.CapabilitiesAfterTls!, item => item.Contains(Visible(code)));
                Assert.Contains(Visible(code), upgraded.Result.StartTlsReply);
                if (code >= 0x7F) Assert.Contains(Visible(code), upgraded.Result.CertificateSubject);
                else if (code != '\t') Assert.Contains(upgraded.Result.CertificateSubjectAlternativeNames!, san => san.Contains(Visible(code)));
            }

            // 2. STARTTLS refused: the reply, the reason and the finding that quotes it.
            var refused = await HostileCase.RunAsync(async (client, cancel) =>
            {
                await client.SendAsync("220 mx.example ESMTP\r\n", cancel);
                if (await client.ReadLineAsync(cancel) == null) return;
                await client.SendAsync("250-mx.example\r\n250 STARTTLS\r\n", cancel);
                if (await client.ReadLineAsync(cancel) != "STARTTLS") return;
                await client.SendAsync(Encoding.UTF8.GetBytes($"454 4.7.0 TLS{c}not available\r\n"), cancel);
                await TlsSmtpScript.AnswerQuitAsync(client, cancel);
            });
            AssertInert(refused.Result, code);

            // 3. Turned away: the reason and the block list's name come from the refusal.
            var blocked = await HostileCase.RunAsync(async (client, cancel) =>
            {
                await client.SendAsync(Encoding.UTF8.GetBytes($"554 5.7.1 {c}blocked using zen.spamhaus.org{c}\r\n"), cancel);
                await TlsSmtpScript.AnswerQuitAsync(client, cancel);
            });
            AssertInert(blocked.Result, code);
            if (code != '\n') Assert.Equal(StartTlsStatus.Unavailable, blocked.Result.Status);
        }

        private static string Visible(int code) => code == '\t' ? "\t" : $"\\x{code:x2}";

        private static void AssertInert(StartTlsResult result, int code)
        {
            string where = $"control character 0x{code:x2}";
            Assert.NotNull(result.Transcript);
            foreach (PropertyInfo property in typeof(StartTlsResult).GetProperties())
            {
                object? value = property.GetValue(result);
                IEnumerable<string> texts = value switch
                {
                    string s => new[] { s },
                    TextList items => items,
                    FindingList findings => findings.SelectMany(f => new[] { f.Id, f.Title, f.Detail, f.Reference }),
                    _ => Array.Empty<string>(),
                };
                foreach (string text in texts)
                    Assert.True(Clean(text, allowLineBreaks: property.Name == "Transcript"), $"{property.Name} carries a raw {where}: '{text}'");
            }

            var list = new StringWriter();
            StartTlsTools.Cli.ResultWriter.WriteList(result, list);
            Assert.True(Clean(list.ToString(), allowLineBreaks: true), $"the CLI's text output carries a raw {where}");

            string json = StartTlsTools.Cli.ResultWriter.ToJson(result);
            Assert.True(Clean(json, allowLineBreaks: true), $"the JSON carries a raw {where}");
            using var document = JsonDocument.Parse(json); // valid JSON
            foreach (var (name, text) in Strings(document.RootElement, ""))
                Assert.True(Clean(text, allowLineBreaks: name.StartsWith("Transcript", StringComparison.Ordinal)), $"JSON {name} decodes to a raw {where}");
        }

        /// <summary>No control character but tab (and, in multi-line output, the line breaks that output itself writes).</summary>
        private static bool Clean(string text, bool allowLineBreaks) =>
            text.All(ch => !ServerText.IsControl(ch) || (allowLineBreaks && (ch == '\n' || ch == '\r')));

        private static IEnumerable<(string Name, string Text)> Strings(JsonElement element, string name)
        {
            switch (element.ValueKind)
            {
                case JsonValueKind.String:
                    yield return (name, element.GetString()!);
                    break;
                case JsonValueKind.Object:
                    foreach (var property in element.EnumerateObject())
                        foreach (var inner in Strings(property.Value, property.Name)) yield return inner;
                    break;
                case JsonValueKind.Array:
                    foreach (var item in element.EnumerateArray())
                        foreach (var inner in Strings(item, name)) yield return inner;
                    break;
            }
        }
    }
}
