using System;
using System.IO;
using System.Security;
using System.Security.Cryptography.X509Certificates;

namespace StartTlsTools.Cli
{
    /// <summary>Inputs every command shares: validation messages, trusted roots from files, and a password that never comes from an argument.</summary>
    internal static class CliInputs
    {
        public const string DefaultPasswordVariable = "STARTTLS_PASSWORD";
        /// <summary>Longer input on stdin is a mistake (a file piped by accident), not a password.</summary>
        private const int MaxPasswordLength = 4096;

        /// <summary>True when there are no problems; otherwise each is written to stderr as "error: ...".</summary>
        /// <summary>A command takes one host or --input with a list, never both and never neither; says which on stderr.</summary>
        public static bool OneTargetSource(string? host, string? inputPath, TextWriter stderr)
        {
            if ((host == null) != (inputPath == null)) return true;
            stderr.WriteLine(host == null ? "error: give a host, or --input FILE (or - for standard input) for a list." : "error: give a host or --input, not both.");
            return false;
        }

        public static bool IsValid(System.Collections.Generic.IReadOnlyList<string> problems, TextWriter stderr)
        {
            foreach (string problem in problems) stderr.WriteLine("error: " + problem);
            return problems.Count == 0;
        }

        /// <summary>False (with a message on stderr) when a file cannot be read as a certificate.</summary>
        public static bool TryLoadRoots(string[]? files, X509Certificate2Collection into, TextWriter stderr)
        {
            foreach (string file in files ?? Array.Empty<string>())
            {
                try
                {
                    into.Add(X509CertificateLoader.LoadCertificateFromFile(file));
                }
                catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException || ex is System.Security.Cryptography.CryptographicException)
                {
                    stderr.WriteLine($"error: cannot read trusted root '{file}': {ex.Message}");
                    return false;
                }
            }
            return true;
        }

        /// <summary>
        /// The first line of stdin (without CR/LF) when <paramref name="fromStdin"/>, else the environment variable.
        /// Null with a message on stderr when there is none. The message never contains the password.
        /// </summary>
        public static SecureString? ReadPassword(bool fromStdin, string variable, TextReader stdin, TextWriter stderr)
        {
            var password = new SecureString();
            if (fromStdin)
            {
                // A CR is kept back until the next character shows it was not the CR of a CRLF line end.
                bool pendingCr = false;
                int c;
                while ((c = stdin.Read()) >= 0 && c != '\n')
                {
                    if (password.Length >= MaxPasswordLength)
                    {
                        stderr.WriteLine($"error: the password on stdin is longer than {MaxPasswordLength} characters.");
                        password.Dispose();
                        return null;
                    }
                    if (pendingCr) password.AppendChar('\r');
                    pendingCr = c == '\r';
                    if (!pendingCr) password.AppendChar((char)c);
                }
            }
            else
            {
                string? value = Environment.GetEnvironmentVariable(variable);
                if (value != null) foreach (char ch in value) password.AppendChar(ch);
            }
            if (password.Length == 0)
            {
                stderr.WriteLine(fromStdin
                    ? "error: no password on stdin."
                    : $"error: no password: set the environment variable {variable} (or use --password-env NAME, or --password-stdin).");
                password.Dispose();
                return null;
            }
            password.MakeReadOnly();
            return password;
        }
    }
}
