using System.Xml.Linq;

namespace LocalLogicApp.StandIns.Sap;

/// <summary>One row of a BAPI's RETURN table (structure BAPIRET2). TYPE: S success, W warning, I info,
/// E error, A abort. A BAPI reports failure this way, not by an exception.</summary>
public sealed record SapReturnMessage(string Type, string Id, string Number, string Message, string? Parameter = null, int Row = 0, string? Field = null)
{
    public bool IsError => Type is "E" or "A";

    public static SapReturnMessage Error(string id, string number, string message, string? parameter = null, int row = 0, string? field = null) =>
        new("E", id, number, message, parameter, row, field);

    public static SapReturnMessage Success(string id, string number, string message, string? parameter = null) => new("S", id, number, message, parameter);

    public XElement ToXml(XNamespace ns) => new(ns + "BAPIRET2",
        new XElement(ns + "TYPE", Type),
        new XElement(ns + "ID", Id),
        new XElement(ns + "NUMBER", Number),
        new XElement(ns + "MESSAGE", Message),
        new XElement(ns + "LOG_NO", ""),
        new XElement(ns + "LOG_MSG_NO", "000000"),
        new XElement(ns + "MESSAGE_V1", ""),
        new XElement(ns + "MESSAGE_V2", ""),
        new XElement(ns + "MESSAGE_V3", ""),
        new XElement(ns + "MESSAGE_V4", ""),
        new XElement(ns + "PARAMETER", Parameter ?? ""),
        new XElement(ns + "ROW", Row),
        new XElement(ns + "FIELD", Field ?? ""),
        new XElement(ns + "SYSTEM", "LOCALCLNT100"));
}
