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
 * whoever walks the tree, and the element limit bounds the tree's memory: the transport's byte
 * limit alone would let 32 MiB of {@code <a/>} become eight million objects. The largest real
 * responses (a page of 1,000 VMs with their extraConfig) hold a few hundred thousand elements.
 */
final class ResponseParser {
  static final int DEFAULT_MAX_DEPTH = 64;
  static final int DEFAULT_MAX_ELEMENTS = 1_000_000;

  /**
   * Longest text of one element, in characters. No vim25 value comes near it (extraConfig values
   * are limited to 64 KiB); without it, one text node as large as the transport allows took more
   * than the Deployment's whole heap, once as bytes, once in the parser's buffer and once as text.
   */
  static final int MAX_TEXT_CHARS = 4 << 20;

  private static final XMLInputFactory FACTORY = newFactory();

  private final int maxDepth;
  private final int maxElements;

  ResponseParser(int maxDepth, int maxElements) {
    this.maxDepth = maxDepth;
    this.maxElements = maxElements;
  }

  ResponseParser() {
    this(DEFAULT_MAX_DEPTH, DEFAULT_MAX_ELEMENTS);
  }

  private static XMLInputFactory newFactory() {
    XMLInputFactory f = XMLInputFactory.newFactory();
    f.setProperty(XMLInputFactory.SUPPORT_DTD, false);
    f.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
    f.setProperty(XMLInputFactory.IS_REPLACING_ENTITY_REFERENCES, false);
    f.setProperty(XMLInputFactory.IS_NAMESPACE_AWARE, true);
    // pieces arrive one by one, so a text node's size is checked as it grows, not once it is whole
    f.setProperty(XMLInputFactory.IS_COALESCING, false);
    return f;
  }

  /** The parsed document element. */
  XmlElement parse(byte[] body) {
    XMLStreamReader r = null;
    try {
      r = FACTORY.createXMLStreamReader(new ByteArrayInputStream(body));
      Deque<XmlElement> stack = new ArrayDeque<>();
      XmlElement root = null;
      int elements = 0;
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
            if (++elements > maxElements) {
              throw new VsphereException.Protocol(
                  "response has more than " + maxElements + " elements; refused", null);
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
          case XMLStreamConstants.CHARACTERS,
              XMLStreamConstants.CDATA,
              XMLStreamConstants.SPACE -> {
            if (!stack.isEmpty()) {
              XmlElement e = stack.peek();
              if (e.textLength() + r.getTextLength() > MAX_TEXT_CHARS) {
                throw new VsphereException.Protocol(
                    "response has a text longer than " + MAX_TEXT_CHARS + " characters; refused",
                    null);
              }
              e.appendText(r.getTextCharacters(), r.getTextStart(), r.getTextLength());
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
    int count = r.getAttributeCount();
    Map<String, String> attrs = count == 0 ? Map.of() : new HashMap<>(4);
    for (int i = 0; i < count; i++) {
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
