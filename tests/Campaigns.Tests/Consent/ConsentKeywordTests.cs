using Campaigns.Api.Consent;

namespace Campaigns.Tests.Consent;

/// <summary>api.md Part 2, "Consent": the whole text, trimmed, any case, a trailing . or ! ignored, is the keyword.</summary>
public sealed class ConsentKeywordTests
{
    [Theory]
    [InlineData("STOP", "stop")]
    [InlineData("stop", "stop")]
    [InlineData("  Stop  ", "stop")]
    [InlineData("Stop.", "stop")]
    [InlineData("STOP!", "stop")]
    [InlineData("\tunsubscribe\n", "stop")]
    [InlineData("StopAll", "stop")]
    [InlineData("cancel", "stop")]
    [InlineData("END", "stop")]
    [InlineData("quit!", "stop")]
    [InlineData("OptOut", "stop")]
    [InlineData("revoke.", "stop")]
    [InlineData("START", "start")]
    [InlineData("unstop", "start")]
    [InlineData("Yes!", "start")]
    [InlineData("help", "help")]
    [InlineData(" INFO. ", "help")]
    public void A_keyword_in_any_case_and_spacing_is_recognised(string text, string keyword) =>
        Assert.Equal(keyword, ConsentKeywords.Classify(text));

    [Theory]
    [InlineData("don't stop")]
    [InlineData("stop please")]
    [InlineData("STOP STOP")]
    [InlineData("stopp")]
    [InlineData("S T O P")]
    [InlineData("stop?")]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData(null)]
    public void Anything_else_is_no_keyword(string? text) => Assert.Null(ConsentKeywords.Classify(text));
}
