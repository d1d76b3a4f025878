using System;
using System.IO;
using System.Security;
using System.Text;
using System.Text.RegularExpressions;
using System.Threading.Tasks;

namespace StartTlsTools.Tests.Integration
{
    /// <summary>The lab user's password and Postfix's per-session log lines, for the AUTH tests.</summary>
    internal static class LabSecrets
    {
        public static string User => Lab.Current["LAB_USER"];

        /// <summary>The lab password, read verbatim (up.sh writes it without a newline).</summary>
        public static string Password => File.ReadAllText(Lab.Current["LAB_PASSWORD_FILE"]);

        public static SecureString Secure(string text)
        {
            var secure = new SecureString();
            foreach (char c in text) secure.AppendChar(c);
            secure.MakeReadOnly();
            return secure;
        }

        /// <summary>Every form of the secret that must never show: the password, its Base64, and the Base64 PLAIN message.</summary>
        public static string[] Forms(string password, string user) => new[]
        {
            password,
            Convert.ToBase64String(Encoding.UTF8.GetBytes(password)),
            Convert.ToBase64String(Encoding.UTF8.GetBytes("\0" + user + "\0" + password)),
        };

        public static SmtpAuthPlainOptions Options(string portKey, string? password = null, bool implicitTls = false, bool trustLabCa = true)
        {
            var options = new SmtpAuthPlainOptions
            {
                HostName = "localhost",
                Port = Lab.Current.LivePort(portKey),
                ImplicitTls = implicitTls,
                UserName = User,
                Password = Secure(password ?? Password),
                EhloName = "client.lab.test",
                Timeout = TimeSpan.FromSeconds(10),
                IncludeTranscript = true,
            };
            if (trustLabCa) options.TrustedRoots.Add(Lab.Current.Ca);
            return options;
        }

        /// <summary>Where Postfix's log ends now: the next session's lines come after it.</summary>
        public static long PostfixLogMark() => new FileInfo(Lab.Current["LAB_POSTFIX_LOG"]).Length;

        /// <summary>
        /// Postfix's one-line summary of the first session on <paramref name="port"/> that began after
        /// <paramref name="mark"/> ("disconnect from localhost[127.0.0.1] ehlo=1 quit=1 commands=2"): the first
        /// "connect from" line after the mark names the smtpd process, whose next "disconnect from" line ends that
        /// session (one smtpd serves one session at a time). Sessions without a single command (port probes) are skipped. Postfix writes through postlogd a moment after the
        /// client leaves, so this polls up to a generous bound: a deadline against hanging, not a timing assertion.
        /// </summary>
        public static async Task<string> PostfixDisconnectLineAsync(int port, long mark)
        {
            string service = "postfix/submission-plain-" + port + "/smtpd";
            var connect = new Regex(Regex.Escape(service) + @"\[(\d+)\]: connect from ");
            DateTime deadline = DateTime.UtcNow.AddSeconds(30);
            while (true)
            {
                using (var stream = new FileStream(Lab.Current["LAB_POSTFIX_LOG"], FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete))
                {
                    stream.Seek(mark, SeekOrigin.Begin);
                    string added = new StreamReader(stream).ReadToEnd();
                    for (var start = connect.Match(added); start.Success; start = start.NextMatch())
                    {
                        var end = new Regex(Regex.Escape(service) + @"\[" + start.Groups[1].Value + @"\]: disconnect from [^\n]*")
                            .Match(added, start.Index);
                        if (!end.Success) break;
                        // Lab.LivePort's probe connects and leaves without a word: not a client session.
                        if (end.Value.Contains("commands=0/0")) continue;
                        return end.Value.TrimEnd('\r');
                    }
                }
                if (DateTime.UtcNow > deadline) throw new TimeoutException($"Postfix logged no complete session on port {port} within 30 s; see {Lab.Current["LAB_POSTFIX_LOG"]}.");
                await Task.Delay(100);
            }
        }
    }
}
