using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Reflection;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using StartTlsTools.Commands;

namespace StartTlsTools.Tests.Cmdlets
{
    /// <summary>Contracts that PowerShell users rely on, checked by reflection over the built module.</summary>
    public class ModuleContractTests
    {
        private static readonly Assembly ModuleAssembly = typeof(TestStartTlsCommand).Assembly;

        internal static string RepoRoot
        {
            get
            {
                for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir != null; dir = dir.Parent)
                    if (File.Exists(Path.Combine(dir.FullName, "StartTlsTools.sln"))) return dir.FullName;
                throw new InvalidOperationException("Cannot find the repository root above " + AppContext.BaseDirectory);
            }
        }

        private static string Manifest => File.ReadAllText(Path.Combine(RepoRoot, "StartTlsTools.psd1"));

        public static IEnumerable<Type> CmdletTypes() =>
            ModuleAssembly.GetTypes().Where(t => typeof(Cmdlet).IsAssignableFrom(t) && !t.IsAbstract && t.IsPublic);

        private static string CmdletName(Type type)
        {
            var attribute = type.GetCustomAttribute<CmdletAttribute>()!;
            return attribute.VerbName + "-" + attribute.NounName;
        }

        private static HashSet<string> ApprovedVerbs() =>
            new[] { typeof(VerbsCommon), typeof(VerbsCommunications), typeof(VerbsData), typeof(VerbsDiagnostic), typeof(VerbsLifecycle), typeof(VerbsOther), typeof(VerbsSecurity) }
                .SelectMany(t => t.GetFields(BindingFlags.Public | BindingFlags.Static))
                .Where(f => f.IsLiteral)
                .Select(f => (string)f.GetRawConstantValue()!)
                .ToHashSet(StringComparer.Ordinal);

        [Fact]
        public void Every_cmdlet_has_cmdlet_and_output_type_attributes_with_an_approved_verb()
        {
            var verbs = ApprovedVerbs();
            Assert.Contains("Test", verbs);
            Assert.NotEmpty(CmdletTypes());
            foreach (var type in CmdletTypes())
            {
                var cmdlet = type.GetCustomAttribute<CmdletAttribute>();
                Assert.True(cmdlet != null, $"{type.Name} has no [Cmdlet]");
                Assert.True(verbs.Contains(cmdlet!.VerbName), $"{type.Name} uses unapproved verb {cmdlet.VerbName}");
                Assert.True(type.GetCustomAttributes<OutputTypeAttribute>().Any(), $"{type.Name} has no [OutputType]");
                Assert.EndsWith("Command", type.Name);
            }
        }

        [Fact]
        public void Target_parameters_are_declared_once_in_the_shared_bases_and_every_cmdlet_has_them()
        {
            var declaredIn = new Dictionary<string, Type>
            {
                ["HostName"] = typeof(TargetCmdletBase), ["Port"] = typeof(TargetCmdletBase), ["TimeoutSeconds"] = typeof(TargetCmdletBase),
                ["EhloName"] = typeof(TargetCmdletBase), ["TrustedRootCertificate"] = typeof(TargetCmdletBase),
                ["Protocol"] = typeof(ServiceCmdletBase), ["XmppDomain"] = typeof(ServiceCmdletBase),
            };
            // The mail-domain cmdlets take a domain, not a host: their shared parameters live once in DomainCmdletBase.
            var domainDeclaredIn = new[] { "Domain", "DnsServer", "TimeoutSeconds" };
            foreach (var type in CmdletTypes().Where(t => typeof(DomainCmdletBase).IsAssignableFrom(t)))
                foreach (string name in domainDeclaredIn)
                    Assert.Equal(typeof(DomainCmdletBase), type.GetProperty(name)!.DeclaringType);
            foreach (var type in CmdletTypes().Where(t => !typeof(DomainCmdletBase).IsAssignableFrom(t)))
            {
                Assert.True(typeof(TargetCmdletBase).IsAssignableFrom(type), $"{type.Name} does not derive from TargetCmdletBase");
                foreach (var property in type.GetProperties().Where(p => p.GetCustomAttribute<ParameterAttribute>() != null && declaredIn.ContainsKey(p.Name)))
                    Assert.Equal(declaredIn[property.Name], property.DeclaringType);
            }
            var aliases = typeof(TargetCmdletBase).GetProperty("HostName")!.GetCustomAttribute<AliasAttribute>()!.AliasNames;
            Assert.Equal(new[] { "Host", "ComputerName", "CN", "NameExchange" }, aliases);
            // The cmdlets that choose a protocol all reach an XMPP server whose domain differs from its host name.
            foreach (var type in new[] { typeof(TestStartTlsCommand), typeof(GetTlsCapabilityCommand), typeof(CompareImplicitVsStartTlsCommand), typeof(TestStartTlsInjectionCommand) })
                Assert.NotNull(type.GetProperty("XmppDomain"));
        }

        [Theory]
        [InlineData(typeof(TestStartTlsCommand), typeof(StartTlsResult))]
        [InlineData(typeof(TestStartTlsInjectionCommand), typeof(StartTlsInjectionResult))]
        public void Quiet_is_its_own_parameter_set_with_its_own_boolean_output_type(Type cmdlet, Type resultType)
        {
            var quiet = cmdlet.GetProperty("Quiet")!.GetCustomAttribute<ParameterAttribute>()!;
            Assert.Equal("Quiet", quiet.ParameterSetName);
            Assert.True(quiet.Mandatory);
            var outputs = cmdlet.GetCustomAttributes<OutputTypeAttribute>().ToList();
            Assert.Contains(outputs, o => o.ParameterSetName.SequenceEqual(new[] { "Quiet" }) && o.Type.Single().Type == typeof(bool));
            Assert.Contains(outputs, o => o.ParameterSetName.SequenceEqual(new[] { "Default" }) && o.Type.Single().Type == resultType);
            Assert.Equal("Default", cmdlet.GetCustomAttribute<CmdletAttribute>()!.DefaultParameterSetName);
        }

        [Fact]
        public void Manifest_exports_exactly_the_cmdlet_classes()
        {
            var match = Regex.Match(Manifest, @"CmdletsToExport\s*=\s*@\(([^)]*)\)");
            Assert.True(match.Success, "CmdletsToExport must be an explicit list");
            var exported = Regex.Matches(match.Groups[1].Value, "'([^']+)'").Select(m => m.Groups[1].Value).OrderBy(n => n);
            Assert.Equal(CmdletTypes().Select(CmdletName).OrderBy(n => n), exported);
        }

        [Fact]
        public void Manifest_targets_windows_powershell_and_core_and_owns_the_version()
        {
            Assert.Matches(@"CompatiblePSEditions\s*=\s*@\('Desktop',\s*'Core'\)", Manifest);
            Assert.Matches(@"PowerShellVersion\s*=\s*'5\.1'", Manifest);
            string version = Regex.Match(Manifest, @"ModuleVersion\s*=\s*'([0-9.]+)'").Groups[1].Value;
            Assert.Equal(Version.Parse(version), new Version(ModuleAssembly.GetName().Version!.ToString(3)));
            Assert.Equal(Version.Parse(version), new Version(typeof(StartTlsResult).Assembly.GetName().Version!.ToString(3)));
        }

        [Fact]
        public void Build_leaves_an_importable_module_folder()
        {
            string folder = Path.Combine(RepoRoot, "out", "StartTlsTools");
            string[] files =
            {
                "StartTlsTools.psd1", "StartTlsTools.dll", "StartTlsTools.Core.dll", "StartTlsTools.Format.ps1xml",
                Path.Combine("en-US", "StartTlsTools.dll-Help.xml"), Path.Combine("en-US", "about_StartTlsTools.help.txt"),
            };
            foreach (string file in files)
                Assert.True(File.Exists(Path.Combine(folder, file)), $"{file} is missing from {folder}");
            Assert.Matches(@"RootModule\s*=\s*'StartTlsTools.dll'", Manifest);
            Assert.Matches(@"FormatsToProcess\s*=\s*@\('StartTlsTools.Format.ps1xml'\)", Manifest);
        }

        [Fact]
        public void Format_file_views_name_real_types_and_properties()
        {
            var format = XDocument.Load(Path.Combine(RepoRoot, "src", "StartTlsTools", "StartTlsTools.Format.ps1xml"));
            var views = format.Descendants("View").ToList();
            Assert.NotEmpty(views);
            foreach (var view in views)
            {
                string typeName = view.Descendants("TypeName").Single().Value;
                var type = typeof(StartTlsResult).Assembly.GetType(typeName) ?? ModuleAssembly.GetType(typeName);
                Assert.True(type != null, $"format view names unknown type {typeName}");
                foreach (var property in view.Descendants("PropertyName").Select(p => p.Value))
                    Assert.True(type!.GetProperty(property) != null, $"{typeName} has no property {property}");
            }
        }

        [Fact]
        public void Every_output_type_is_in_a_format_view_or_a_scalar()
        {
            var format = File.ReadAllText(Path.Combine(RepoRoot, "src", "StartTlsTools", "StartTlsTools.Format.ps1xml"));
            foreach (var outputType in CmdletTypes().SelectMany(t => t.GetCustomAttributes<OutputTypeAttribute>()).SelectMany(a => a.Type))
            {
                var type = outputType.Type!;
                Assert.True(type.IsPrimitive || format.Contains("<TypeName>" + type.FullName + "</TypeName>"), $"{type.FullName} has no default view");
            }
        }

        [Fact]
        public void Results_are_flat_for_export_csv()
        {
            // Scalars, or lists whose ToString() is readable text (Export-Csv writes a property with ToString()).
            var scalars = new[] { typeof(string), typeof(bool), typeof(int), typeof(long), typeof(double), typeof(DateTime), typeof(DateTimeOffset), typeof(TextList), typeof(FindingList) };
            var resultTypes = typeof(StartTlsResult).Assembly.GetTypes().Where(t => t.IsPublic && t.Namespace == "StartTlsTools" &&
                (t.Name.EndsWith("Result", StringComparison.Ordinal) || t.Name.EndsWith("Summary", StringComparison.Ordinal) || t.Name.EndsWith("Comparison", StringComparison.Ordinal)));
            foreach (var property in resultTypes.Concat(new[] { typeof(Finding), typeof(MailExchanger) }).SelectMany(t => t.GetProperties()))
            {
                var type = Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType;
                Assert.True(type.IsEnum || scalars.Contains(type), $"{property.DeclaringType!.Name}.{property.Name} is {type.Name}, which Export-Csv cannot write usefully");
            }
            Assert.Contains(resultTypes, t => t == typeof(TlsCapabilitySummary));
            Assert.Contains(resultTypes, t => t == typeof(MailDomainResult));
        }

        [Fact]
        public void Every_cmdlet_has_a_platyps_page_documenting_each_parameter()
        {
            string docs = Path.Combine(RepoRoot, "docs", "en-US");
            Assert.True(File.Exists(Path.Combine(docs, "about_StartTlsTools.help.md")));
            foreach (var type in CmdletTypes())
            {
                string page = Path.Combine(docs, CmdletName(type) + ".md");
                Assert.True(File.Exists(page), $"{page} is missing");
                string text = File.ReadAllText(page);
                Assert.Contains("## SYNOPSIS", text);
                Assert.Contains("## EXAMPLES", text);
                foreach (var parameter in type.GetProperties().Where(p => p.GetCustomAttribute<ParameterAttribute>() != null))
                    Assert.True(text.Contains("### -" + parameter.Name), $"{page} does not document -{parameter.Name}");
            }
        }

        [Fact]
        public void HostName_binds_from_the_pipeline_and_from_mx_records()
        {
            var property = typeof(TestStartTlsCommand).GetProperty(nameof(TestStartTlsCommand.HostName))!;
            var parameter = property.GetCustomAttribute<ParameterAttribute>()!;
            Assert.True(parameter.Mandatory);
            Assert.Equal(0, parameter.Position);
            Assert.True(parameter.ValueFromPipeline);
            Assert.True(parameter.ValueFromPipelineByPropertyName);
            Assert.Equal(new[] { "Host", "ComputerName", "CN", "NameExchange" }, property.GetCustomAttribute<AliasAttribute>()!.AliasNames);
        }
    }
}
