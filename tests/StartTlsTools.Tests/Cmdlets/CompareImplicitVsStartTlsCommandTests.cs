using System;
using System.Linq;
using System.Management.Automation;
using StartTlsTools.Commands;
using StartTlsTools.Tests.Integration;

namespace StartTlsTools.Tests.Cmdlets
{
    /// <summary>The Compare-ImplicitVsStartTls cmdlet class, driven through its output seam without a PowerShell runtime.</summary>
    [Collection("Lab")]
    public class CompareImplicitVsStartTlsCommandTests
    {
        private static CompareImplicitVsStartTlsCommand LabCommand(StartTlsProtocol protocol, string startTlsKey, string implicitKey) => new CompareImplicitVsStartTlsCommand
        {
            HostName = "localhost",
            Protocol = protocol,
            Port = Lab.Current.LivePort(startTlsKey),
            ImplicitPort = Lab.Current.LivePort(implicitKey),
            Samples = 2,
            EhloName = "client.lab.test",
            TrustedRootCertificate = new[] { Lab.Current.Ca },
        };

        [Fact]
        public void Both_sides_reachable_writes_one_comparison_and_no_error()
        {
            var output = new RecordingOutput();
            LabCommand(StartTlsProtocol.Pop3, "LAB_POP3_PORT", "LAB_POP3S_PORT").InvokeForTest(output);

            var c = Assert.IsType<ImplicitVsStartTlsComparison>(Assert.Single(output.Objects));
            Assert.True(c.StartTlsReachable && c.ImplicitReachable, c.StartTlsReason + " / " + c.ImplicitReason);
            Assert.Equal(2, c.StartTlsSuccessfulSamples);
            Assert.Empty(output.Errors);
            Assert.Contains(output.Verbose, v => v.Contains("2 sample(s) each"));
        }

        [Fact]
        public void Unreachable_side_is_data_and_one_error_naming_that_side()
        {
            var output = new RecordingOutput();
            LabCommand(StartTlsProtocol.Submission, "LAB_SUBMISSION_PLAIN_PORT", "LAB_SMTPS_PORT").InvokeForTest(output);

            var c = Assert.IsType<ImplicitVsStartTlsComparison>(Assert.Single(output.Objects));
            Assert.False(c.StartTlsReachable);
            Assert.Equal(StartTlsStatus.NotOffered, c.StartTlsStatus);
            Assert.True(c.ImplicitReachable);
            var error = Assert.Single(output.Errors);
            Assert.Equal("StartTlsNotOffered", error.Id);
            Assert.Contains("STARTTLS port", error.Message);
            Assert.StartsWith("Only implicit TLS", c.Recommendation);
        }

        [Fact]
        public void Comparable_protocols_are_exactly_the_registered_ones_with_both_ports()
        {
            var expected = Enum.GetValues<StartTlsProtocol>().Where(ProtocolRegistry.IsKnown)
                .Where(p => ProtocolRegistry.Get(p).DefaultPort(false).HasValue && ProtocolRegistry.Get(p).DefaultPort(true).HasValue);
            Assert.Equal(expected, ImplicitVsStartTlsOptions.ComparableProtocols);
            Assert.Contains(StartTlsProtocol.Submission, ImplicitVsStartTlsOptions.ComparableProtocols);
            Assert.Contains(StartTlsProtocol.Imap, ImplicitVsStartTlsOptions.ComparableProtocols);
            Assert.Contains(StartTlsProtocol.Pop3, ImplicitVsStartTlsOptions.ComparableProtocols);
        }

        [Fact]
        public void A_protocol_without_both_ports_is_refused_before_any_connection_with_a_clear_message()
        {
            // Lmtp has no implicit-TLS port. The host does not resolve: reaching the network would say so instead.
            var output = new RecordingOutput();
            new CompareImplicitVsStartTlsCommand { HostName = "no-such-host.invalid", Protocol = StartTlsProtocol.Lmtp }.InvokeForTest(output);

            Assert.Empty(output.Objects);
            var error = Assert.Single(output.Errors);
            Assert.Equal("InvalidParameter", error.Id);
            Assert.Equal(ErrorCategory.InvalidArgument, error.Category);
            Assert.Contains("needs both a STARTTLS port and an implicit-TLS port", error.Message);
            Assert.Contains("Submission", error.Message);
        }

        [Fact]
        public void Defaults_to_submission_with_the_shared_target_parameters()
        {
            var command = new CompareImplicitVsStartTlsCommand();
            Assert.Equal(StartTlsProtocol.Submission, command.Protocol);
            Assert.IsAssignableFrom<ServiceCmdletBase>(command);
        }

        [Theory]
        [InlineData(0)]
        [InlineData(101)]
        public void Samples_outside_1_to_100_are_refused_by_the_options(int samples)
        {
            var options = new ImplicitVsStartTlsOptions { HostName = "localhost", Samples = samples };
            Assert.Contains(options.Validate(), p => p.Contains("Samples must be between 1 and 100"));
        }

        [Fact]
        public void Results_are_flat_for_export_csv()
        {
            var scalars = new[] { typeof(string), typeof(bool), typeof(int), typeof(long), typeof(double), typeof(DateTime), typeof(DateTimeOffset), typeof(TextList) };
            foreach (var type in new[] { typeof(ImplicitVsStartTlsComparison), typeof(SmtpAuthResult) })
                foreach (var property in type.GetProperties())
                {
                    var t = Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType;
                    Assert.True(t.IsEnum || scalars.Contains(t), $"{type.Name}.{property.Name} is {t.Name}");
                }
        }

        [Fact]
        public void Every_starttls_column_has_its_implicit_twin()
        {
            var names = typeof(ImplicitVsStartTlsComparison).GetProperties().Select(p => p.Name).ToHashSet();
            foreach (string name in names.Where(n => n.StartsWith("StartTls", StringComparison.Ordinal)))
                Assert.Contains("Implicit" + name.Substring("StartTls".Length), names);
        }
    }
}
