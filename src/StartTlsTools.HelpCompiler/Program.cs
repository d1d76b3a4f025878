using System;
using System.IO;

namespace StartTlsTools.HelpCompiler
{
    /// <summary>
    /// StartTlsTools.HelpCompiler DOCS_DIR OUT_DIR: compiles PlatyPS Markdown into MAML and about-topic text, offline.
    /// Exit 0 on success, 1 on a malformed page or an I/O error (printed as an MSBuild error), 2 on bad usage.
    /// </summary>
    internal static class Program
    {
        private static int Main(string[] args) => Run(args, Console.Out, Console.Error);

        internal static int Run(string[] args, TextWriter output, TextWriter error)
        {
            if (args.Length != 2)
            {
                error.WriteLine("usage: StartTlsTools.HelpCompiler <docs folder, e.g. docs/en-US> <output folder, e.g. out/StartTlsTools/en-US>");
                return 2;
            }
            try
            {
                foreach (string path in HelpCompiler.CompileDirectory(args[0], args[1])) output.WriteLine("help: wrote " + path);
                return 0;
            }
            catch (HelpSchemaException e)
            {
                error.WriteLine(new HelpSchemaException(Path.GetFullPath(e.FilePath), e.Line, e.Reason).ToBuildError());
                return 1;
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
            {
                error.WriteLine($"{Path.GetFullPath(args[0])}: error STHELP2: {e.Message}");
                return 1;
            }
        }
    }
}
