using Campaigns.Core.Templates;

namespace Campaigns.Tests.Unit;

/// <summary>Which templates are accepted, and what the error says about the ones that are not.</summary>
public sealed class MessageTemplateValidationTests
{
    private const string Allowed = "allowed: {first_name}, {last_name}, {location}, {preferred_product}, {phone}, {recommended_product}";

    [Theory]
    [InlineData("Hi {first_name} {last_name}")]
    [InlineData("{location}{preferred_product}{phone}")]
    [InlineData("No placeholders at all")]
    [InlineData("{{coupon}} is escaped, {50% off} is not an identifier")]
    [InlineData("")]
    public void A_template_using_only_allowed_placeholders_is_valid(string text)
    {
        Assert.Null(MessageTemplate.Validate(text));
        Assert.True(MessageTemplate.TryParse(text, out var template, out var error));
        Assert.Null(error);
        Assert.Equal(text, template.Text);
    }

    [Theory]
    [InlineData("Use {coupon} today", "coupon")]
    [InlineData("Hi {First_Name}", "First_Name")]
    [InlineData("Hi {FIRST_NAME}", "FIRST_NAME")]
    [InlineData("Hi {firstname}", "firstname")]
    [InlineData("Hi {first_name2}", "first_name2")]
    [InlineData("{_}", "_")]
    [InlineData("{Phone}", "Phone")]
    public void An_unknown_or_mis_cased_placeholder_is_named_with_the_allowed_ones(string text, string name)
    {
        var expected = $"Unknown placeholder {{{name}}}; {Allowed}";

        Assert.Equal(expected, MessageTemplate.Validate(text));
        Assert.False(MessageTemplate.TryParse(text, out var template, out var error));
        Assert.Null(template);
        Assert.Equal(expected, error);
    }

    [Fact]
    public void Every_unknown_placeholder_is_named_once_in_order_of_appearance() =>
        Assert.Equal(
            $"Unknown placeholders {{coupon}}, {{First_Name}}, {{discount}}; {Allowed}",
            MessageTemplate.Validate("{coupon} for {First_Name} ({first_name}): {discount} {coupon} {First_Name}"));

    [Fact]
    public void A_known_placeholder_does_not_excuse_an_unknown_one() =>
        Assert.Equal(
            $"Unknown placeholder {{city}}; {Allowed}",
            MessageTemplate.Validate("Hi {first_name} from {city}"));

    [Fact]
    public void An_unknown_name_inside_an_escaped_brace_pair_is_still_checked() =>
        // "{{{coupon}}}" is "{" + placeholder {coupon} + "}": the placeholder is real.
        Assert.Equal($"Unknown placeholder {{coupon}}; {Allowed}", MessageTemplate.Validate("{{{coupon}}}"));

    [Fact]
    public void Parse_throws_the_validation_message_for_an_invalid_template()
    {
        var error = Assert.Throws<FormatException>(() => MessageTemplate.Parse("Hi {name}"));

        Assert.Equal($"Unknown placeholder {{name}}; {Allowed}", error.Message);
    }

    [Fact]
    public void Used_fields_are_listed_once_each_in_order_of_first_use()
    {
        var template = MessageTemplate.Parse("{location}: {first_name} {first_name} {{phone}} {location} {preferred_product}");

        Assert.Equal([TemplateField.Location, TemplateField.FirstName, TemplateField.PreferredProduct], template.UsedFields);
        Assert.Empty(MessageTemplate.Parse("Just text {{first_name}}").UsedFields);
    }

    [Fact]
    public void Field_names_map_both_ways_for_every_allowed_placeholder()
    {
        Assert.Equal(["first_name", "last_name", "location", "preferred_product", "phone", "recommended_product"], TemplateFieldNames.All);
        foreach (var field in Enum.GetValues<TemplateField>())
        {
            Assert.True(TemplateFieldNames.TryGetField(TemplateFieldNames.NameOf(field), out var parsed));
            Assert.Equal(field, parsed);
        }
        Assert.False(TemplateFieldNames.TryGetField("First_Name", out _));
    }
}
