package com.codeconnect.vmgroup.vsphere.soap;

import com.codeconnect.vmgroup.vsphere.MoRef;
import java.io.ByteArrayOutputStream;
import javax.xml.XMLConstants;
import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;

/**
 * Writes one SOAP request envelope. Callers emit elements in the WSDL sequence order themselves
 * (see {@link SoapRequests}); real vCenter rejects out-of-order elements even though the simulator
 * accepts them.
 */
final class RequestWriter {
  static final String SOAP_ENV = "http://schemas.xmlsoap.org/soap/envelope/";
  static final String VIM25 = "urn:vim25";
  private static final XMLOutputFactory FACTORY = XMLOutputFactory.newFactory();

  private final ByteArrayOutputStream out = new ByteArrayOutputStream(512);
  private final XMLStreamWriter w;

  private RequestWriter(String method) {
    try {
      w = FACTORY.createXMLStreamWriter(out, "UTF-8");
      w.writeStartDocument("UTF-8", "1.0");
      w.writeStartElement("soapenv", "Envelope", SOAP_ENV);
      w.writeNamespace("soapenv", SOAP_ENV);
      w.writeNamespace("xsd", XMLConstants.W3C_XML_SCHEMA_NS_URI);
      w.writeNamespace("xsi", XMLConstants.W3C_XML_SCHEMA_INSTANCE_NS_URI);
      w.writeStartElement("soapenv", "Body", SOAP_ENV);
      w.writeStartElement(method);
      w.writeDefaultNamespace(VIM25);
    } catch (XMLStreamException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Starts an envelope whose body calls {@code method} on {@code self}. */
  static RequestWriter call(String method, MoRef self) {
    return new RequestWriter(method).moRef("_this", self);
  }

  RequestWriter start(String name) {
    try {
      w.writeStartElement(name);
      return this;
    } catch (XMLStreamException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Starts an element of a polymorphic field, naming its concrete type. */
  RequestWriter start(String name, String xsiType) {
    start(name);
    return xsiType(xsiType);
  }

  private RequestWriter xsiType(String type) {
    try {
      w.writeAttribute("xsi", XMLConstants.W3C_XML_SCHEMA_INSTANCE_NS_URI, "type", type);
      return this;
    } catch (XMLStreamException e) {
      throw new IllegalStateException(e);
    }
  }

  RequestWriter end() {
    try {
      w.writeEndElement();
      return this;
    } catch (XMLStreamException e) {
      throw new IllegalStateException(e);
    }
  }

  RequestWriter text(String name, String value) {
    try {
      w.writeStartElement(name);
      w.writeCharacters(checked(value));
      w.writeEndElement();
      return this;
    } catch (XMLStreamException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A value of an {@code xsd:anyType} field, which needs its type on the wire. */
  RequestWriter typedText(String name, String xsiType, String value) {
    try {
      w.writeStartElement(name);
      xsiType(xsiType);
      w.writeCharacters(checked(value));
      w.writeEndElement();
      return this;
    } catch (XMLStreamException e) {
      throw new IllegalStateException(e);
    }
  }

  RequestWriter text(String name, long value) {
    return text(name, Long.toString(value));
  }

  RequestWriter text(String name, boolean value) {
    return text(name, Boolean.toString(value));
  }

  RequestWriter moRef(String name, MoRef ref) {
    try {
      w.writeStartElement(name);
      w.writeAttribute("type", checked(ref.type()));
      w.writeCharacters(checked(ref.value()));
      w.writeEndElement();
      return this;
    } catch (XMLStreamException e) {
      throw new IllegalStateException(e);
    }
  }

  byte[] finish() {
    try {
      w.writeEndDocument();
      w.close();
      return out.toByteArray();
    } catch (XMLStreamException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * The writer escapes markup characters but would pass control characters through, producing a
   * document no server can parse; refuse them before anything goes out.
   */
  private static String checked(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      boolean allowed = c == '\t' || c == '\n' || c == '\r' || (c >= 0x20 && c < 0xFFFE);
      if (!allowed) {
        throw new IllegalArgumentException(
            "character U+" + String.format("%04X", (int) c) + " cannot be sent in XML");
      }
    }
    return s;
  }
}
