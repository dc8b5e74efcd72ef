package com.codeconnect.vmgroup.vsphere.soap;

import com.codeconnect.vmgroup.vsphere.VsphereException;
import java.io.ByteArrayInputStream;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import javax.xml.XMLConstants;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

/**
 * Parses a SOAP response into an {@link XmlElement} tree with StAX.
 *
 * <p>The factory refuses DTDs and external entities, and the reader also rejects any DTD event
 * itself, so a hostile or compromised endpoint can't make the client read local files (XXE) or
 * expand entity bombs. The nesting limit keeps a crafted document from exhausting the stack of
 * whoever walks the tree; the byte limit lives in the transport.
 */
final class ResponseParser {
  static final int DEFAULT_MAX_DEPTH = 64;

  private static final XMLInputFactory FACTORY = newFactory();

  private final int maxDepth;

  ResponseParser(int maxDepth) {
    this.maxDepth = maxDepth;
  }

  ResponseParser() {
    this(DEFAULT_MAX_DEPTH);
  }

  private static XMLInputFactory newFactory() {
    XMLInputFactory f = XMLInputFactory.newFactory();
    f.setProperty(XMLInputFactory.SUPPORT_DTD, false);
    f.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
    f.setProperty(XMLInputFactory.IS_REPLACING_ENTITY_REFERENCES, false);
    f.setProperty(XMLInputFactory.IS_NAMESPACE_AWARE, true);
    f.setProperty(XMLInputFactory.IS_COALESCING, true);
    return f;
  }

  /** The parsed document element. */
  XmlElement parse(byte[] body) {
    XMLStreamReader r = null;
    try {
      r = FACTORY.createXMLStreamReader(new ByteArrayInputStream(body));
      Deque<XmlElement> stack = new ArrayDeque<>();
      XmlElement root = null;
      while (r.hasNext()) {
        int event = r.next();
        switch (event) {
          case XMLStreamConstants.DTD,
              XMLStreamConstants.ENTITY_REFERENCE,
              XMLStreamConstants.ENTITY_DECLARATION ->
              throw new VsphereException.Protocol(
                  "response contains a DTD or entity reference; refused", null);
          case XMLStreamConstants.START_ELEMENT -> {
            if (stack.size() >= maxDepth) {
              throw new VsphereException.Protocol(
                  "response nests deeper than " + maxDepth + " elements; refused", null);
            }
            XmlElement e = startElement(r);
            if (stack.isEmpty()) {
              if (root != null) {
                throw new VsphereException.Protocol("response has two document elements", null);
              }
              root = e;
            } else {
              stack.peek().add(e);
            }
            stack.push(e);
          }
          case XMLStreamConstants.END_ELEMENT -> stack.pop();
          case XMLStreamConstants.CHARACTERS, XMLStreamConstants.CDATA -> {
            if (!stack.isEmpty()) {
              stack.peek().appendText(r.getText());
            }
          }
          default -> {
            // comments, whitespace and processing instructions carry nothing we read
          }
        }
      }
      if (root == null || !stack.isEmpty()) {
        throw new VsphereException.Protocol("response XML is truncated", null);
      }
      return root;
    } catch (XMLStreamException e) {
      // the parser's message may quote document content; keep only its position
      String where =
          e.getLocation() == null
              ? ""
              : " at line "
                  + e.getLocation().getLineNumber()
                  + ", column "
                  + e.getLocation().getColumnNumber();
      throw new VsphereException.Protocol("response is not well-formed XML" + where, null);
    } finally {
      if (r != null) {
        try {
          r.close();
        } catch (XMLStreamException ignored) {
          // nothing left to release
        }
      }
    }
  }

  private static XmlElement startElement(XMLStreamReader r) {
    String xsiType = null;
    Map<String, String> attrs = new HashMap<>(2);
    for (int i = 0; i < r.getAttributeCount(); i++) {
      String ns = r.getAttributeNamespace(i);
      String local = r.getAttributeLocalName(i);
      if (XMLConstants.W3C_XML_SCHEMA_INSTANCE_NS_URI.equals(ns) && "type".equals(local)) {
        String v = r.getAttributeValue(i);
        int colon = v.indexOf(':');
        xsiType = colon >= 0 ? v.substring(colon + 1) : v;
      } else if (ns == null || ns.isEmpty()) {
        attrs.put(local, r.getAttributeValue(i));
      }
    }
    return new XmlElement(r.getLocalName(), xsiType, attrs);
  }

  /**
   * The single element inside the SOAP Body: the method's response or a {@code Fault}.
   *
   * @throws VsphereException.Protocol when the document isn't a SOAP envelope
   */
  static XmlElement bodyContent(XmlElement envelope) {
    if (!"Envelope".equals(envelope.name())) {
      throw new VsphereException.Protocol("response is not a SOAP envelope", null);
    }
    XmlElement body = envelope.child("Body");
    if (body == null || body.children().isEmpty()) {
      throw new VsphereException.Protocol("SOAP envelope has no body content", null);
    }
    return body.children().get(0);
  }
}
