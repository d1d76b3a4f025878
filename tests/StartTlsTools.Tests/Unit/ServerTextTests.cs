using System.Linq;

namespace StartTlsTools.Tests.Unit
{
    public class ServerTextTests
    {
        [Fact]
        public void Every_c0_and_c1_control_but_tab_becomes_a_visible_escape()
        {
            for (int c = 0; c <= 0x9F; c++)
            {
                string text = "a" + (char)c + "b";
                string inert = ServerText.Inert(text);
                bool control = c < 0x20 && c != '\t' || c >= 0x7F;
                if (control) Assert.Equal($"a\\x{c:x2}b", inert);
                else Assert.Same(text, inert); // nothing to do: the same string back
                Assert.DoesNotContain(inert, ServerText.IsControl);
            }
        }

        [Fact]
        public void Terminal_escape_sequences_lose_their_escape()
        {
            Assert.Equal("\\x1b[2J\\x1b]0;owned\\x07", ServerText.Inert("\u001b[2J\u001b]0;owned\u0007"));
            // Idempotent: inert text stays as it is.
            Assert.Equal("\\x1b[2J", ServerText.Inert(ServerText.Inert("\u001b[2J")));
        }

        [Fact]
        public void Results_are_made_inert_field_by_field_and_the_transcript_line_by_line()
        {
            var result = new StartTlsResult
            {
                Banner = "mx\u001b[31m",
                CapabilitiesBeforeTls = new TextList(new[] { "PIPELINING", "STARTTLS\u0085" }),
                Transcript = "+1.0ms S plain 220 a\u0007\n+2.0ms C plain EHLO x\n",
            };
            ServerText.MakeInert(result);
            Assert.Equal("mx\\x1b[31m", result.Banner);
            Assert.Equal(new[] { "PIPELINING", "STARTTLS\\x85" }, result.CapabilitiesBeforeTls!.ToArray());
            Assert.Equal("+1.0ms S plain 220 a\\x07\n+2.0ms C plain EHLO x\n", result.Transcript);
        }
    }
}
