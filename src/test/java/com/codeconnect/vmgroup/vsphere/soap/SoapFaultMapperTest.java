package com.codeconnect.vmgroup.vsphere.soap;

import static com.codeconnect.vmgroup.vsphere.soap.SoapResponseParserTest.bytes;
import static com.codeconnect.vmgroup.vsphere.soap.SoapResponseParserTest.envelope;
import static org.assertj.core.api.Assertions.assertThat;

import com.codeconnect.vmgroup.vsphere.MoRef;
import com.codeconnect.vmgroup.vsphere.VsphereException;
import org.junit.jupiter.api.Test;

/** Faults as vCenter and the simulator send them: typed element inside detail, xsi:type set. */
class SoapFaultMapperTest {
  private final ResponseParser parser = new ResponseParser();

  private VsphereException fault(String detailInner) {
    XmlElement c =
        ResponseParser.bodyContent(
            parser.parse(
                bytes(
                    envelope(
                        "<soapenv:Fault><faultcode>ServerFaultCode</faultcode>"
                            + "<faultstring>server says no</faultstring><detail>"
                            + detailInner
                            + "</detail></soapenv:Fault>"))));
    assertThat(c.name()).isEqualTo("Fault");
    return FaultMapper.fromSoapFault("SomeMethod", c);
  }

  @Test
  void notAuthenticated() {
    VsphereException e =
        fault(
            "<NotAuthenticatedFault xmlns=\"urn:vim25\" xsi:type=\"NotAuthenticated\"><object"
                + " type=\"Folder\">group-d1</object><privilegeId>System.View</privilegeId>"
                + "</NotAuthenticatedFault>");
    assertThat(e).isInstanceOf(VsphereException.NotAuthenticated.class);
    assertThat(e.isTransient()).isTrue();
    assertThat(e.getMessage()).contains("SomeMethod").contains("server says no");
  }

  @Test
  void invalidLogin() {
    VsphereException e =
        fault("<InvalidLoginFault xmlns=\"urn:vim25\" xsi:type=\"InvalidLogin\"/>");
    assertThat(e).isInstanceOf(VsphereException.InvalidLogin.class);
    assertThat(e.faultType()).isEqualTo("InvalidLogin");
  }

  @Test
  void duplicateNameCarriesExistingObject() {
    VsphereException e =
        fault(
            "<DuplicateNameFault xmlns=\"urn:vim25\" xsi:type=\"DuplicateName\"><name>web-1</name>"
                + "<object type=\"VirtualMachine\">vm-77</object></DuplicateNameFault>");
    assertThat(e).isInstanceOf(VsphereException.DuplicateName.class);
    assertThat(((VsphereException.DuplicateName) e).existing())
        .isEqualTo(new MoRef("VirtualMachine", "vm-77"));
    assertThat(e.getMessage()).contains("web-1").contains("vm-77");
  }

  @Test
  void managedObjectNotFoundCarriesObject() {
    VsphereException e =
        fault(
            "<ManagedObjectNotFoundFault xmlns=\"urn:vim25\" xsi:type=\"ManagedObjectNotFound\">"
                + "<obj type=\"VirtualMachine\">vm-9</obj></ManagedObjectNotFoundFault>");
    assertThat(e).isInstanceOf(VsphereException.ManagedObjectNotFound.class);
    assertThat(((VsphereException.ManagedObjectNotFound) e).object())
        .isEqualTo(new MoRef("VirtualMachine", "vm-9"));
  }

  @Test
  void invalidPowerStateWithOtherPrefix() {
    VsphereException e =
        fault(
            "<InvalidPowerStateFault xmlns=\"urn:vim25\""
                + " xmlns:XMLSchema-instance=\"http://www.w3.org/2001/XMLSchema-instance\""
                + " XMLSchema-instance:type=\"InvalidPowerState\"><requestedState>poweredOn"
                + "</requestedState><existingState>poweredOn</existingState>"
                + "</InvalidPowerStateFault>");
    assertThat(e).isInstanceOf(VsphereException.InvalidPowerState.class);
  }

  @Test
  void taskInProgressWithoutXsiTypeUsesElementName() {
    VsphereException e = fault("<TaskInProgressFault xmlns=\"urn:vim25\"/>");
    assertThat(e).isInstanceOf(VsphereException.TaskInProgress.class);
    assertThat(e.isTransient()).isTrue();
  }

  @Test
  void unknownFaultIsGenericAndNotTransient() {
    VsphereException e =
        fault("<InvalidArgumentFault xmlns=\"urn:vim25\" xsi:type=\"InvalidArgument\"/>");
    assertThat(e.getClass()).isEqualTo(VsphereException.class);
    assertThat(e.faultType()).isEqualTo("InvalidArgument");
    assertThat(e.isTransient()).isFalse();
    assertThat(e.getMessage()).contains("server says no");
  }

  @Test
  void faultWithoutDetailKeepsFaultCode() {
    XmlElement c =
        ResponseParser.bodyContent(
            parser.parse(
                bytes(
                    envelope(
                        "<soapenv:Fault><faultcode>ClientFaultCode</faultcode>"
                            + "<faultstring>bad request</faultstring></soapenv:Fault>"))));
    VsphereException e = FaultMapper.fromSoapFault("X", c);
    assertThat(e.faultType()).isEqualTo("ClientFaultCode");
    assertThat(e.getMessage()).contains("bad request");
  }

  @Test
  void taskErrorMapsLikeCallFault() {
    XmlElement val =
        ResponseParser.bodyContent(
                parser.parse(
                    bytes(
                        envelope(
                            "<R xmlns=\"urn:vim25\"><val xsi:type=\"LocalizedMethodFault\">"
                                + "<fault xsi:type=\"DuplicateName\"><name>a</name><object"
                                + " type=\"Folder\">group-v9</object></fault>"
                                + "<localizedMessage>The name 'a' already exists.</localizedMessage>"
                                + "</val></R>"))))
            .child("val");
    VsphereException e = FaultMapper.fromLocalizedMethodFault("task task-1", val);
    assertThat(e).isInstanceOf(VsphereException.DuplicateName.class);
    assertThat(((VsphereException.DuplicateName) e).existing())
        .isEqualTo(new MoRef("Folder", "group-v9"));
    assertThat(e.getMessage()).contains("already exists");
  }
}
