using System.Text.Json.Nodes;
using Campaigns.Tests.Infrastructure;

namespace Campaigns.Tests.Unit;

public sealed class JsonDifferenceTests
{
    [Fact]
    public void Equal_documents_have_no_difference_whatever_their_member_order()
    {
        var expected = JsonNode.Parse("""{"a": 1, "b": {"c": [1, "x", null]}}""");
        var actual = JsonNode.Parse("""{"b": {"c": [1, "x", null]}, "a": 1.0}""");

        Assert.Null(JsonDifference.First(expected, actual));
    }

    [Theory]
    [InlineData("""{"a": {"b": 1}}""", """{"a": {"b": 2}}""", "$.a.b", "1", "2")]
    [InlineData("""{"a": {"b": 1}}""", """{"a": {}}""", "$.a.b", "1", "(absent)")]
    [InlineData("""{"a": {}}""", """{"a": {"new": true}}""", "$.a.new", "(absent)", "true")]
    [InlineData("""{"paths": {"/x/{id}": [1, 2]}}""", """{"paths": {"/x/{id}": [1]}}""", "$.paths['/x/{id}'][1]", "2", "(absent)")]
    [InlineData("""{"type": "string"}""", """{"type": ["null", "string"]}""", "$.type", "\"string\"", """["null","string"]""")]
    public void The_first_difference_is_named_by_its_path_with_both_values(
        string expected, string actual, string path, string expectedValue, string actualValue)
    {
        var difference = JsonDifference.First(JsonNode.Parse(expected), JsonNode.Parse(actual));

        Assert.Equal(new JsonDifference(path, expectedValue, actualValue), difference);
    }
}
