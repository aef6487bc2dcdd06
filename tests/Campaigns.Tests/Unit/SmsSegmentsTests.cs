using Campaigns.Core.Templates;

namespace Campaigns.Tests.Unit;

/// <summary>The preview's <c>sms</c> object: encoding, length in that encoding's units, segments.</summary>
public sealed class SmsSegmentsTests
{
    // GSM 03.38 written as Unicode code points (unicode.org GSM0338 mapping), independently of the
    // implementation's table: the basic set 0x00–0x7F without the escape 0x1B, then the extension table.
    private const string BasicSet =
        "\u0040\u00A3\u0024\u00A5\u00E8\u00E9\u00F9\u00EC\u00F2\u00C7\u000A\u00D8\u00F8\u000D\u00C5\u00E5" +
        "\u0394\u005F\u03A6\u0393\u039B\u03A9\u03A0\u03A8\u03A3\u0398\u039E\u00C6\u00E6\u00DF\u00C9" +
        "\u0020\u0021\u0022\u0023\u00A4\u0025\u0026\u0027\u0028\u0029\u002A\u002B\u002C\u002D\u002E\u002F" +
        "0123456789\u003A\u003B\u003C\u003D\u003E\u003F" +
        "\u00A1ABCDEFGHIJKLMNOPQRSTUVWXYZ\u00C4\u00D6\u00D1\u00DC\u00A7" +
        "\u00BFabcdefghijklmnopqrstuvwxyz\u00E4\u00F6\u00F1\u00FC\u00E0";

    private const string ExtensionSet = "\u000C\u005E\u007B\u007D\u005C\u005B\u007E\u005D\u007C\u20AC";

    [Fact]
    public void Empty_text_is_gsm7_with_nothing_to_send() =>
        Assert.Equal(new SmsSegmentCount("GSM-7", 0, 0), SmsSegments.Count(""));

    [Theory]
    [InlineData(1, 1)]
    [InlineData(160, 1)]
    [InlineData(161, 2)]
    [InlineData(306, 2)]
    [InlineData(307, 3)]
    [InlineData(459, 3)]
    [InlineData(460, 4)]
    public void Gsm7_text_is_one_segment_up_to_160_septets_then_153_per_segment(int length, int segments) =>
        Assert.Equal(new SmsSegmentCount("GSM-7", length, segments), SmsSegments.Count(new string('a', length)));

    [Theory]
    [InlineData(1, 1)]
    [InlineData(70, 1)]
    [InlineData(71, 2)]
    [InlineData(134, 2)]
    [InlineData(135, 3)]
    [InlineData(201, 3)]
    [InlineData(202, 4)]
    public void Ucs2_text_is_one_segment_up_to_70_units_then_67_per_segment(int length, int segments) =>
        Assert.Equal(new SmsSegmentCount("UCS-2", length, segments), SmsSegments.Count(new string('ж', length)));

    [Theory]
    [InlineData('{')]
    [InlineData('}')]
    [InlineData('[')]
    [InlineData(']')]
    [InlineData('~')]
    [InlineData('\\')]
    [InlineData('|')]
    [InlineData('^')]
    [InlineData('€')]
    [InlineData('\f')]
    public void An_extension_character_costs_two_septets(char c) =>
        Assert.Equal(new SmsSegmentCount("GSM-7", 2, 1), SmsSegments.Count($"{c}"));

    [Fact]
    public void Eighty_euro_signs_fill_one_segment_and_eighty_one_need_two()
    {
        Assert.Equal(new SmsSegmentCount("GSM-7", 160, 1), SmsSegments.Count(new string('€', 80)));
        Assert.Equal(new SmsSegmentCount("GSM-7", 162, 2), SmsSegments.Count(new string('€', 81)));
    }

    [Fact]
    public void An_extension_character_pushes_159_septets_over_one_segment()
    {
        Assert.Equal(new SmsSegmentCount("GSM-7", 160, 1), SmsSegments.Count(new string('a', 158) + "{"));
        Assert.Equal(new SmsSegmentCount("GSM-7", 161, 2), SmsSegments.Count(new string('a', 159) + "}"));
    }

    [Fact]
    public void Mixed_basic_and_extension_text_counts_septets() =>
        Assert.Equal(new SmsSegmentCount("GSM-7", 12, 1), SmsSegments.Count("Hi Alice €5"));

    [Fact]
    public void An_emoji_counts_two_utf16_units()
    {
        Assert.Equal(new SmsSegmentCount("UCS-2", 2, 1), SmsSegments.Count("👍"));
        Assert.Equal(new SmsSegmentCount("UCS-2", 70, 1), SmsSegments.Count(string.Concat(Enumerable.Repeat("😀", 35))));
        Assert.Equal(new SmsSegmentCount("UCS-2", 72, 2), SmsSegments.Count(string.Concat(Enumerable.Repeat("😀", 36))));
    }

    [Fact]
    public void One_character_outside_gsm7_turns_the_whole_text_into_ucs2()
    {
        var text = new string('a', 159) + "ж";

        // As GSM-7 this would be 160 septets and one segment; as UCS-2 it is 160 units and three.
        Assert.Equal(new SmsSegmentCount("UCS-2", 160, 3), SmsSegments.Count(text));
    }

    [Fact]
    public void Extension_characters_count_one_unit_once_the_text_is_ucs2() =>
        Assert.Equal(new SmsSegmentCount("UCS-2", 4, 1), SmsSegments.Count("€{}ж"));

    [Theory]
    [InlineData("`")]
    [InlineData("Price `5`")]
    [InlineData("\t")]
    [InlineData("ç")]
    [InlineData("α")]
    [InlineData("á")]
    [InlineData("\u00A0")]
    [InlineData("\u001B")]
    [InlineData("\u2126")]
    public void Characters_outside_gsm7_select_ucs2(string text) =>
        Assert.Equal("UCS-2", SmsSegments.Count(text).Encoding);

    [Fact]
    public void Greek_capitals_and_latin_accents_of_the_basic_set_stay_gsm7()
    {
        var text = "ΔΦΓΛΩΠΨΣΘΞ èéùìòÇØøÅåÆæßÉÄÖÑÜäöñüà £¥¤§¡¿@$_";

        Assert.Equal(new SmsSegmentCount("GSM-7", text.Length, 1), SmsSegments.Count(text));
    }

    [Fact]
    public void Exactly_the_gsm_03_38_basic_set_costs_one_septet_and_its_extension_table_two()
    {
        var basic = new HashSet<char>(BasicSet);
        var extension = new HashSet<char>(ExtensionSet);
        Assert.Equal(127, basic.Count);
        Assert.Equal(10, extension.Count);

        for (var code = 0; code <= char.MaxValue; code++)
        {
            var c = (char)code;
            var expected = basic.Contains(c) ? new SmsSegmentCount("GSM-7", 1, 1)
                : extension.Contains(c) ? new SmsSegmentCount("GSM-7", 2, 1)
                : new SmsSegmentCount("UCS-2", 1, 1);

            var actual = SmsSegments.Count(new ReadOnlySpan<char>(in c));

            if (actual != expected)
            {
                Assert.Fail($"U+{code:X4}: expected {expected}, got {actual}");
            }
        }
    }
}
