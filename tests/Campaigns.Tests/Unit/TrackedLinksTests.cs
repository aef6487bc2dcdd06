using Campaigns.Api.Links;
using Campaigns.Api.Validation;
using Campaigns.Core.Domain;
using Campaigns.Core.Links;
using Campaigns.Core.Templates;

namespace Campaigns.Tests.Unit;

/// <summary>Which parts of a rendered message are URLs, and what they become (api.md, "Variants, links and languages").</summary>
public sealed class TrackedLinksTests
{
    private const string Prefix = "https://go.example/l/";

    private static string[] Urls(string text) => [.. TrackedLinks.Find(text).Select(f => text.Substring(f.Start, f.Length))];

    [Theory]
    [InlineData("See https://shop.example/a.", "https://shop.example/a")]
    [InlineData("(https://shop.example/a)", "https://shop.example/a")]
    [InlineData("Go: http://x.example/?q=1&r=2!?", "http://x.example/?q=1&r=2")]
    [InlineData("https://x.example/a.b,c;d:e end", "https://x.example/a.b,c;d:e")]
    [InlineData("HTTPS://X.EXAMPLE/Path...", "HTTPS://X.EXAMPLE/Path")]
    [InlineData("tab\thttps://x.example/t\tafter", "https://x.example/t")]
    public void A_url_ends_at_whitespace_less_its_trailing_punctuation(string text, string url) =>
        Assert.Equal([url], Urls(text));

    [Theory]
    [InlineData("no links here")]
    [InlineData("ftp://x.example/a and mailto:a@b.example")]
    [InlineData("https:// alone, and http://. too")]
    [InlineData("www.example.com")]
    public void Text_without_a_url_has_none(string text) => Assert.Empty(Urls(text));

    [Fact]
    public void Several_urls_are_found_in_order()
    {
        Assert.Equal(["https://a.example/1", "http://b.example/2", "https://a.example/1"],
            Urls("https://a.example/1, then http://b.example/2; and https://a.example/1"));
    }

    [Fact]
    public void The_same_url_twice_in_one_message_shares_one_code()
    {
        var asked = new List<string>();
        var shortened = TrackedLinks.Shorten("Hi https://a.example/x and (https://b.example/y). Again https://a.example/x!", Prefix,
            url => { asked.Add(url); return asked.Count == 1 ? "AAAAAAAA" : "BBBBBBBB"; });

        Assert.Equal($"Hi {Prefix}AAAAAAAA and ({Prefix}BBBBBBBB). Again {Prefix}AAAAAAAA!", shortened);
        Assert.Equal(["https://a.example/x", "https://b.example/y"], asked);
    }

    [Fact]
    public void A_text_without_urls_is_returned_as_it_is()
    {
        const string text = "Hi there";
        Assert.Same(text, TrackedLinks.Shorten(text, Prefix, _ => throw new InvalidOperationException("no URL")));
    }

    [Fact]
    public void Codes_are_eight_characters_of_the_alphabet_and_do_not_repeat()
    {
        var codes = Enumerable.Range(0, 10_000).Select(_ => TrackedLinks.NewCode()).ToArray();

        Assert.All(codes, c => Assert.Matches("^[0-9A-Za-z]{8}$", c));
        Assert.True(TrackedLinks.IsWellFormed(codes[0]));
        Assert.Equal(codes.Length, codes.Distinct(StringComparer.Ordinal).Count());
        // Not sequential: the codes are spread over the whole alphabet at every position.
        for (var position = 0; position < TrackedLinks.CodeLength; position++)
        {
            Assert.True(codes.Select(c => c[position]).Distinct().Count() > 50, $"position {position}");
        }
    }

    [Theory]
    [InlineData("https://shop.example/a?x=1&y=%20", "https://shop.example/a?x=1&y=%20")]
    [InlineData("https://例え.jp/パス", "https://xn--r8jz45g.jp/%E3%83%91%E3%82%B9")]
    [InlineData("https://x.example/😀", "https://x.example/%F0%9F%98%80")]
    public void A_location_carries_the_url_as_written_with_non_ascii_percent_encoded(string url, string location) =>
        Assert.Equal(location, TrackedLinks.ForLocationHeader(url));

    [Theory]
    [InlineData("abc")]
    [InlineData("abcdefghi")]
    [InlineData("abcd-fgh")]
    [InlineData("abcdéfgh")]
    public void Malformed_codes_are_recognised(string code) => Assert.False(TrackedLinks.IsWellFormed(code));

    [Fact]
    public void A_template_url_stops_at_a_placeholder_which_keeps_its_longest_value_for_the_bound()
    {
        Assert.Equal($"Visit {Prefix}xxxxxxxx{{first_name}}/more now", TrackedLinks.ShortenTemplateText("Visit https://x.example/{first_name}/more now", Prefix));
    }

    [Fact]
    public void A_tracked_url_counts_at_the_short_links_length_in_the_rendered_length_rule()
    {
        // 1,560 GSM-7 characters: 11 segments as written, one short link when tracked.
        var template = MessageTemplate.Parse("Offer: https://shop.example/" + new string('p', 1_532));

        Assert.NotNull(RenderedLength.Problem("base_template", template, Channel.Sms, maxSmsSegments: 10));
        Assert.Null(RenderedLength.Problem("base_template", template, Channel.Sms, maxSmsSegments: 10, trackedLinkPrefix: Prefix));
    }

    [Fact]
    public void A_short_url_counts_longer_when_tracked()
    {
        // 153 characters as written (one segment); with the 29-character short link for the 10-character URL, 172: two.
        var template = MessageTemplate.Parse("http://a.b " + new string('x', 142));

        Assert.Null(RenderedLength.Problem("base_template", template, Channel.Sms, maxSmsSegments: 1));
        Assert.NotNull(RenderedLength.Problem("base_template", template, Channel.Sms, maxSmsSegments: 1, trackedLinkPrefix: Prefix));
    }
}
