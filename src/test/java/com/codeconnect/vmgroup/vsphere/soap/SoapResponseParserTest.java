package com.codeconnect.vmgroup.vsphere.soap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.codeconnect.vmgroup.vsphere.VsphereException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SoapResponseParserTest {
  private final ResponseParser parser = new ResponseParser();

  @Test
  void readsBodyContentWithTypesAndRefs() {
    XmlElement c =
        ResponseParser.bodyContent(
            parser.parse(
                bytes(
                    envelope(
                        "<CreateFolderResponse xmlns=\"urn:vim25\"><returnval"
                            + " type=\"Folder\">group-v7</returnval></CreateFolderResponse>"))));
    assertThat(c.name()).isEqualTo("CreateFolderResponse");
    assertThat(c.childMoRef("returnval").value()).isEqualTo("group-v7");
    assertThat(c.childMoRef("returnval").type()).isEqualTo("Folder");
  }

  @Test
  void refusesExternalEntityAndNeverReadsTheFile(@TempDir Path dir) throws Exception {
    Path secret = dir.resolve("secret.txt");
    Files.writeString(secret, "TOP-SECRET-42");
    String xml =
        "<?xml version=\"1.0\"?>\n<!DOCTYPE foo [<!ENTITY xxe SYSTEM \""
            + secret.toUri()
            + "\">]>\n"
            + envelope("<X xmlns=\"urn:vim25\"><returnval>&xxe;</returnval></X>");
    assertThatThrownBy(() -> parser.parse(bytes(xml)))
        .isInstanceOf(VsphereException.Protocol.class)
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("TOP-SECRET-42"));
  }

  @Test
  void refusesInternalEntityExpansion() {
    String xml =
        "<!DOCTYPE d [<!ENTITY a \"aaaaaaaaaa\"><!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;\">]>"
            + envelope("<X xmlns=\"urn:vim25\"><returnval>&b;</returnval></X>");
    assertThatThrownBy(() -> parser.parse(bytes(xml)))
        .isInstanceOf(VsphereException.Protocol.class);
  }

  @Test
  void refusesDeepNesting() {
    String deep = "<a>".repeat(500) + "</a>".repeat(500);
    assertThatThrownBy(() -> parser.parse(bytes(envelope(deep))))
        .isInstanceOf(VsphereException.Protocol.class)
        .hasMessageContaining("deeper");
  }

  @Test
  void truncatedXmlIsProtocolError() {
    String full =
        envelope("<X xmlns=\"urn:vim25\"><returnval type=\"Folder\">group-v7</returnval></X>");
    String truncated = full.substring(0, full.length() - 40);
    assertThatThrownBy(() -> parser.parse(bytes(truncated)))
        .isInstanceOf(VsphereException.Protocol.class);
  }

  @Test
  void nonEnvelopeIsProtocolError() {
    assertThatThrownBy(() -> ResponseParser.bodyContent(parser.parse(bytes("<html/>"))))
        .isInstanceOf(VsphereException.Protocol.class);
  }

  static String envelope(String body) {
    return "<soapenv:Envelope xmlns:soapenv=\"http://schemas.xmlsoap.org/soap/envelope/\""
        + " xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\""
        + " xmlns:xsd=\"http://www.w3.org/2001/XMLSchema\"><soapenv:Body>"
        + body
        + "</soapenv:Body></soapenv:Envelope>";
  }

  static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
