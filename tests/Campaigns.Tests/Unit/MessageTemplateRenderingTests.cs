using Campaigns.Core.Templates;

namespace Campaigns.Tests.Unit;

/// <summary>How a valid template turns into a customer's message: fields, escapes and literal braces.</summary>
public sealed class MessageTemplateRenderingTests
{
    private static readonly TemplateFields Alice = new(
        FirstName: "Alice", LastName: "Smith", Location: "Nairobi", PreferredProduct: "Shoes", Phone: "+254712345678");

    private static string Render(string template, TemplateFields fields) => MessageTemplate.Parse(template).Render(fields);

    [Theory]
    [InlineData("Hi {first_name}!", "Hi Alice!")]
    [InlineData("Dear {last_name},", "Dear Smith,")]
    [InlineData("Deals in {location} today", "Deals in Nairobi today")]
    [InlineData("New {preferred_product} arrived", "New Shoes arrived")]
    [InlineData("Reply from {phone}.", "Reply from +254712345678.")]
    public void Each_placeholder_renders_its_field(string template, string expected) =>
        Assert.Equal(expected, Render(template, Alice));

    [Fact]
    public void Every_placeholder_in_one_template_renders_in_place() =>
        Assert.Equal(
            "Alice Smith of Nairobi likes Shoes (+254712345678)",
            Render("{first_name} {last_name} of {location} likes {preferred_product} ({phone})", Alice));

    [Theory]
    [InlineData("{{", "{")]
    [InlineData("}}", "}")]
    [InlineData("a {{ b }} c", "a { b } c")]
    [InlineData("{{first_name}}", "{first_name}")]
    [InlineData("{{{first_name}}}", "{Alice}")]
    [InlineData("{{{{first_name}}}}", "{{first_name}}")]
    [InlineData("{{coupon}}", "{coupon}")]
    [InlineData("{first_name}}}", "Alice}")]
    [InlineData("{{{", "{{")]
    [InlineData("{{first_name}", "{first_name}")] // read left to right: "{{" is taken before "{first_name}"
    [InlineData("}}}", "}}")]
    [InlineData("{{}", "{}")]
    public void Doubled_braces_write_one_literal_brace(string template, string expected) =>
        Assert.Equal(expected, Render(template, Alice));

    [Theory]
    [InlineData("Get {50% off} now")]
    [InlineData("Hi { first_name }")]
    [InlineData("Hi {first_name }")]
    [InlineData("Empty {} braces")]
    [InlineData("{1st} place")]
    [InlineData("{first-name}")]
    [InlineData("{first.name}")]
    [InlineData("{prénom}")]
    [InlineData("{é}")]
    [InlineData("{\u00A0first_name}")]
    public void Braces_around_anything_but_an_identifier_are_literal_text(string template) =>
        Assert.Equal(template, Render(template, Alice));

    [Theory]
    [InlineData("{")]
    [InlineData("}")]
    [InlineData("}{")]
    [InlineData("50% off {")]
    [InlineData("} the end")]
    [InlineData("Hi {first_name")]
    [InlineData("Hi first_name}")]
    public void Lone_braces_are_literal_text(string template) =>
        Assert.Equal(template, Render(template, Alice));

    [Fact]
    public void A_lone_brace_next_to_a_placeholder_stays_literal() =>
        Assert.Equal("{ Alice and }Nairobi{", Render("{ {first_name} and }{location}{", Alice));

    [Fact]
    public void Missing_fields_render_as_empty_text()
    {
        var template = MessageTemplate.Parse("Hi {first_name} {last_name} from {location}, {preferred_product}/{phone}.");

        Assert.Equal("Hi   from , /.", template.Render(default));
        Assert.Equal("Hi Bob  from , /.", template.Render(new TemplateFields(FirstName: "Bob")));
        Assert.Equal("Hi   from , /.", template.Render(new TemplateFields("", "", "", "", "")));
    }

    [Fact]
    public void A_template_that_is_only_a_placeholder_renders_the_field()
    {
        var template = MessageTemplate.Parse("{first_name}");

        Assert.Equal("Alice", template.Render(Alice));
        Assert.Equal("", template.Render(default));
    }

    [Fact]
    public void Adjacent_placeholders_render_back_to_back()
    {
        Assert.Equal("AliceSmith", Render("{first_name}{last_name}", Alice));
        Assert.Equal("AliceAlice", Render("{first_name}{first_name}", Alice));
        Assert.Equal("Smith", Render("{first_name}{last_name}", new TemplateFields(LastName: "Smith")));
    }

    [Fact]
    public void Unicode_text_and_unicode_values_render_unchanged()
    {
        var fields = new TemplateFields(FirstName: "Zoë 😀", Location: "Mombasa 🇰🇪", PreferredProduct: "日本茶");

        Assert.Equal(
            "Habari Zoë 😀 👋 — karibu Mombasa 🇰🇪! 日本茶 ✓",
            Render("Habari {first_name} 👋 — karibu {location}! {preferred_product} ✓", fields));
    }

    [Fact]
    public void Text_without_placeholders_renders_as_written()
    {
        Assert.Equal("Big sale today: 50% off!", Render("Big sale today: 50% off!", Alice));
        Assert.Equal("", Render("", Alice));
    }

    [Fact]
    public void One_parsed_template_renders_each_customer_independently()
    {
        var template = MessageTemplate.Parse("Hi {first_name}, {location} store");

        Assert.Equal("Hi Alice, Nairobi store", template.Render(Alice));
        Assert.Equal("Hi Juma, Kisumu store", template.Render(new TemplateFields(FirstName: "Juma", Location: "Kisumu")));
        Assert.Equal("Hi Alice, Nairobi store", template.Render(Alice));
    }

    [Fact]
    public void Rendering_a_long_template_keeps_every_segment_in_order()
    {
        var parts = Enumerable.Range(0, 200).Select(i => $"#{i}:{{first_name}}{{{{x}}}}");
        var expected = string.Concat(Enumerable.Range(0, 200).Select(i => $"#{i}:Alice{{x}}"));

        Assert.Equal(expected, Render(string.Concat(parts), Alice));
    }

    [Fact]
    public void Rendering_allocates_only_the_resulting_string()
    {
        var template = MessageTemplate.Parse("Hi {first_name} {last_name}, {{new}} {preferred_product} in {location}!");
        var expected = template.Render(Alice); // warm up: JIT, statics
        const int renders = 1_000;

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < renders; i++)
        {
            template.Render(Alice);
        }
        var perRender = (GC.GetAllocatedBytesForCurrentThread() - before) / renders;

        // A string costs about 22 bytes of header plus 2 per char; a boxed state or closure would add 24+.
        Assert.InRange(perRender, 2 * expected.Length, 2 * expected.Length + 32);
    }
}
