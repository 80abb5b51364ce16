namespace Workflows.Runtime.Tests.Expressions;

[TestClass]
public sealed class DateTimeFunctions_Specs
{
    private const string Now = """{"utcNow": "2025-09-25T05:18:31.3384797Z"}""";

    [TestMethod]
    public void Results_keep_how_the_input_stated_its_zone()
    {
        Assert.AreEqual("2018-03-16T00:00:00.0000000Z", Wdl.Text("addDays('2018-03-15T00:00:00Z', 1)"));
        Assert.AreEqual("2018-03-16T00:00:00.0000000", Wdl.Text("addDays('2018-03-15', 1)"));
        Assert.AreEqual("2018-03-15T11:27:36.0000000+00:00", Wdl.Text("formatDateTime('2018-03-15T13:27:36+02:00')"), "offsets are converted to UTC");
    }

    [TestMethod]
    public void Standard_and_custom_dotnet_formats_are_honoured()
    {
        Assert.AreEqual("2025-09-25 05:18:31Z", Wdl.Text("utcNow('u')", Now));
        Assert.AreEqual("Thursday, September 25, 2025", Wdl.Text("utcNow('D')", Now));
        Assert.AreEqual("5:18 AM", Wdl.Text("utcNow('t')", Now), "ordinary space before AM, as Windows writes it");
        Assert.AreEqual("Thu, 25 Sep 2025 05:18:31 GMT", Wdl.Text("utcNow('R')", Now));
        Assert.AreEqual("2025-09-25T05:18:31", Wdl.Text("utcNow('s')", Now));
        Assert.AreEqual("2025-09-25T05:18:31.338Z", Wdl.Text("utcNow('yyyy-MM-ddTHH:mm:ss.fffK')", Now));
        Assert.AreEqual("25/09/2025 05h18", Wdl.Text("utcNow('dd/MM/yyyy HH\\hmm')", Now));
        Assert.AreEqual("Thursday, September 25, 2025 5:18:31 AM", Wdl.Text("utcNow('U')", Now));
        Assert.AreEqual("September 2025", Wdl.Text("utcNow('y')", Now));
        Assert.AreEqual("Thu, 25 Sep 2025", Wdl.Text("utcNow('ddd, d MMM yyyy')", Now));
    }

    [TestMethod]
    public void Formats_that_depend_on_the_local_zone_behave_as_on_the_cloud_runtime_whose_zone_is_utc()
    {
        Assert.AreEqual("Thursday, March 15, 2018 1:27:36 PM", Wdl.Text("formatDateTime('2018-03-15T13:27:36', 'U')"));
        Assert.AreEqual("13:27 +00:00", Wdl.Text("formatDateTime('2018-03-15T13:27:36', 'HH:mm zzz')"));
        Assert.AreEqual("Thursday, March 15, 2018 11:27:36 AM", Wdl.Text("formatDateTime('2018-03-15T13:27:36+02:00', 'U')"));
    }

    [TestMethod]
    public void Formats_follow_the_locale_argument()
    {
        Assert.AreEqual("dimanche janvier 31", Wdl.Text("formatDateTime('01/31/2016', 'dddd MMMM d', 'fr-FR')"));
        Assert.AreEqual("Donnerstag, 15. März 2018", Wdl.Text("formatDateTime('2018-03-15', 'D', 'de-DE')"));
    }

    [TestMethod]
    public void Bad_timestamps_formats_and_locales_fail_naming_the_function()
    {
        StringAssert.Contains(Wdl.Error("formatDateTime('not a date')"), "date time string 'not a date' was not valid");
        StringAssert.Contains(Wdl.Error("formatDateTime('2018-03-15', 'Q')"), "'formatDateTime'");
        StringAssert.Contains(Wdl.Error("formatDateTime('2018-03-15', 'D', 'zz-nowhere')"), "locale");
    }

    [TestMethod]
    public void Windows_time_zone_ids_convert_including_daylight_saving()
    {
        Assert.AreEqual("2018-07-01T05:00:00.0000000", Wdl.Text("convertFromUtc('2018-07-01T12:00:00Z', 'Pacific Standard Time')"), "PDT is UTC-7");
        Assert.AreEqual("2018-01-01T04:00:00.0000000", Wdl.Text("convertFromUtc('2018-01-01T12:00:00Z', 'Pacific Standard Time')"), "PST is UTC-8");
        Assert.AreEqual("2018-07-01T19:00:00.0000000", Wdl.Text("convertTimeZone('2018-07-01T12:00:00', 'W. Europe Standard Time', 'Tokyo Standard Time')"));
        Assert.AreEqual("2018-01-01T08:00:00.0000000Z", Wdl.Text("convertToUtc('2018-01-01T00:00:00', 'Pacific Standard Time')"));
        Assert.AreEqual("2018-07-01T12:00:00.0000000Z", Wdl.Text("convertFromUtc('2018-07-01T12:00:00Z', 'UTC')"), "Z stays when the destination is UTC");
        Assert.AreEqual("2018-07-01 17:30", Wdl.Text("convertFromUtc('2018-07-01T12:00:00Z', 'India Standard Time', 'yyyy-MM-dd HH:mm')"));
    }

    [TestMethod]
    public void Unknown_zones_utc_stamped_local_times_and_nonexistent_local_times_fail()
    {
        StringAssert.Contains(Wdl.Error("convertFromUtc('2018-07-01T12:00:00Z', 'Nowhere Standard Time')"), "time zone 'Nowhere Standard Time'");
        StringAssert.Contains(Wdl.Error("convertToUtc('2018-07-01T12:00:00Z', 'Pacific Standard Time')"), "'convertToUtc'");
        StringAssert.Contains(Wdl.Error("convertTimeZone('2018-03-11T02:30:00', 'Pacific Standard Time', 'UTC')"), "'convertTimeZone'");
    }

    [TestMethod]
    public void AddToTime_accepts_singular_and_plural_units_and_clamps_month_ends()
    {
        Assert.AreEqual("2018-02-28T00:00:00.0000000Z", Wdl.Text("addToTime('2018-01-31T00:00:00Z', 1, 'Months')"));
        Assert.AreEqual("2018-02-14", Wdl.Text("addToTime('2018-01-31T00:00:00Z', 2, 'week', 'yyyy-MM-dd')"));
        Assert.AreEqual("2017-01-31T00:00:00.0000000Z", Wdl.Text("subtractFromTime('2018-01-31T00:00:00Z', 1, 'Year')"));
        StringAssert.Contains(Wdl.Error("addToTime('2018-01-31T00:00:00Z', 1, 'Fortnight')"), "'Fortnight'");
    }

    [TestMethod]
    public void Future_and_past_times_count_from_the_scope_clock()
    {
        Assert.AreEqual("2024-02-29", Wdl.Text("getFutureTime(1, 'Month', 'yyyy-MM-dd')", """{"utcNow": "2024-01-31T10:00:00Z"}"""));
        Assert.AreEqual("2025-09-25T04:18:31.3384797Z", Wdl.Text("getPastTime(1, 'Hour')", Now));
    }

    [TestMethod]
    public void DateDifference_writes_a_timespan()
    {
        Assert.AreEqual("1268.00:00:00", Wdl.Text("dateDifference('2015-02-08', '2018-07-30')"));
        Assert.AreEqual("01:30:05.5000000", Wdl.Text("dateDifference('2018-01-01T00:00:00Z', '2018-01-01T01:30:05.5Z')"));
        Assert.AreEqual("-01:00:00", Wdl.Text("dateDifference('2018-01-01T01:00:00', '2018-01-01T00:00:00')"));
    }

    [TestMethod]
    public void Day_parts_start_of_periods_and_ticks()
    {
        Assert.AreEqual(0L, (long)Wdl.Eval("dayOfWeek('2024-06-02')"), "Sunday is 0");
        Assert.AreEqual(366L, (long)Wdl.Eval("dayOfYear('2024-12-31')"));
        Assert.AreEqual("2018-03-15T13:00:00.0000000Z", Wdl.Text("startOfHour('2018-03-15T13:59:59.999Z')"));
        Assert.AreEqual(621355968000000000L, (long)Wdl.Eval("ticks('1970-01-01T00:00:00Z')"));
    }

    [TestMethod]
    public void ParseDateTime_reads_culture_specific_and_exact_formats()
    {
        Assert.AreEqual("2014-10-20T00:00:00.0000000", Wdl.Text("parseDateTime('20/10/2014', 'fr-fr')"));
        Assert.AreEqual("2014-10-20T15:00:00.0000000", Wdl.Text("parseDateTime('10/20/2014 15h', 'en-US', 'MM/dd/yyyy HH\\h')"));
        Assert.AreEqual("2020-10-20T00:00:00.0000000", Wdl.Text("parseDateTime('martes 20 octubre 2020', 'es-es')"));
        StringAssert.Contains(Wdl.Error("parseDateTime('20/10/2014', 'en-US')"), "'parseDateTime'");
    }
}
