using System.Linq;
using System.Text.Json;

namespace StartTlsTools.Tests.Unit
{
    /// <summary>Lists on results stay typed for the pipeline and read as text in a CSV cell (Export-Csv uses ToString()).</summary>
    public sealed class ResultListTests
    {
        [Fact]
        public void TextList_reads_as_joined_text_and_serialises_as_an_array()
        {
            var list = new TextList(new[] { "PIPELINING", "STARTTLS" });
            Assert.Equal("PIPELINING; STARTTLS", list.ToString());
            Assert.Equal("[\"PIPELINING\",\"STARTTLS\"]", JsonSerializer.Serialize(list));
            Assert.Equal("", TextList.Empty.ToString());
        }

        [Fact]
        public void FindingList_reads_as_its_ids_and_keeps_the_objects()
        {
            var findings = new FindingList(new[]
            {
                new Finding("CertificateExpired", FindingSeverity.High, "t", "d", "r"),
                new Finding("TlsVersionBelow12", FindingSeverity.Medium, "t", "d", "r"),
            });
            Assert.Equal("CertificateExpired; TlsVersionBelow12", findings.ToString());
            Assert.Equal(FindingSeverity.Medium, findings.Last().Severity);
            Assert.Equal("", FindingList.Empty.ToString());
        }
    }
}
