using Campaigns.Api.Validation;
using Campaigns.Core.Templates;
using CsCheck;

namespace Campaigns.Tests.Unit;

/// <summary>
/// A template's longest possible rendering against its channel's limit: the worst case is sound (no
/// customer's fields, within their rules, render longer) and the message gives it with the limit.
/// </summary>
public sealed class RenderedLengthTests
{
    [Fact]
    public void The_issues_template_of_84_products_is_refused_with_its_worst_case_and_the_limit()
    {
        var template = MessageTemplate.Parse(string.Concat(Enumerable.Repeat("{preferred_product}", 84)));

        // 84 products of 200 emoji: 33,600 UTF-16 units, ceil(33,600 / 67) segments.
        Assert.Equal(
            "base_template can render 502 SMS segments (33,600 UCS-2 units) when each placeholder holds the longest value "
            + "its field allows ({preferred_product} 200 characters); the limit is 10 segments: shorten the text or use fewer placeholders",
            RenderedLength.Problem("base_template", template, "sms", maxSmsSegments: 10));
        Assert.Equal(
            "base_template can render 16,800 characters when each placeholder holds the longest value its field allows "
            + "({preferred_product} 200 characters); the limit is 4,096 characters: shorten the text or use fewer placeholders",
            RenderedLength.Problem("base_template", template, "whatsapp", maxSmsSegments: 10));
    }

    [Theory]
    [InlineData(1_530, null)]
    [InlineData(1_531, 11)]
    public void Literal_gsm_text_counts_its_septets(int length, int? segments)
    {
        var problem = RenderedLength.Problem("base_template", MessageTemplate.Parse(new string('a', length)), "sms", maxSmsSegments: 10);

        Assert.Equal(segments is null ? null : $"base_template can render {segments} SMS segments ({length:N0} GSM-7 units); "
            + "the limit is 10 segments: shorten the text", problem);
    }

    [Fact]
    public void A_phone_is_gsm_and_at_most_21_characters()
    {
        // 1,509 + 21 = 1,530 septets: ten full parts.
        Assert.Null(RenderedLength.Problem("t", MessageTemplate.Parse(new string('a', 1_509) + "{phone}"), "sms", 10));
        Assert.Contains("11 SMS segments (1,531 GSM-7 units)",
            RenderedLength.Problem("t", MessageTemplate.Parse(new string('a', 1_510) + "{phone}"), "sms", 10));
    }

    [Fact]
    public void Every_text_field_may_force_ucs2_with_two_units_per_character()
    {
        // "Hi " + 100 emoji + "!": 204 UTF-16 units, 4 segments.
        var template = MessageTemplate.Parse("Hi {first_name}!");

        Assert.Null(RenderedLength.Problem("t", template, "sms", maxSmsSegments: 4));
        Assert.StartsWith("t can render 4 SMS segments (204 UCS-2 units) when each placeholder holds the longest value its field allows "
            + "({first_name} 100 characters); the limit is 3 segments", RenderedLength.Problem("t", template, "sms", maxSmsSegments: 3));
    }

    [Theory]
    [InlineData("", 4_096, true)]
    [InlineData("", 4_097, false)]
    [InlineData("{location}", 4_096, true)]
    [InlineData("{location}", 4_097, false)]
    public void Whatsapp_counts_code_points_up_to_4096(string placeholder, int codePoints, bool fits)
    {
        // Emoji literal: code points, not UTF-16 units, are what count.
        var literal = string.Concat(Enumerable.Repeat("😀", codePoints - (placeholder.Length == 0 ? 0 : 100)));
        var problem = RenderedLength.Problem("t", MessageTemplate.Parse(placeholder + literal), "whatsapp", maxSmsSegments: 1);

        Assert.Equal(fits, problem is null);
    }

    [Fact]
    public void No_customer_within_the_field_rules_renders_more_segments_than_the_worst_case()
    {
        // Characters that cost the most in each encoding: GSM-7 basic and extension, BMP outside GSM-7, astral.
        var character = Gen.OneOf(Gen.Const("a"), Gen.Const("€"), Gen.Const("{"), Gen.Const("ж"), Gen.Const("😀"));
        Gen<string> Text(int maxCodePoints) => character.Array[0, maxCodePoints].Select(string.Concat);
        var fields = Gen.Select(Text(100), Text(100), Text(100), Text(200), Gen.Char['0', '9'].Array[1, 20],
            (first, last, location, product, digits) => new TemplateFields(first, last, location, product, "+" + new string(digits)));
        var piece = Gen.OneOf(Gen.OneOf(TemplateFieldNames.All.ToArray()).Select(name => $"{{{name}}}"), Text(40).Select(t => t.Replace("{", "{{")));
        var template = piece.Array[1, 8].Select(pieces => MessageTemplate.Parse(string.Concat(pieces)));

        Gen.Select(template, fields).Sample((t, f) =>
        {
            var segments = SmsSegments.Count(t.Render(f)).Segments;
            // The worst case is at least as long: a limit one below this customer's rendering refuses the template.
            return segments == 0 || RenderedLength.Problem("t", t, "sms", maxSmsSegments: segments - 1) is not null;
        }, iter: 2_000);
    }
}
