package com.codeconnect.vmgroup.vsphere.soap;

import static com.codeconnect.vmgroup.vsphere.contract.PlantedSecrets.UNATTEND;
import static com.codeconnect.vmgroup.vsphere.contract.PlantedSecrets.USERDATA;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.codeconnect.vmgroup.vsphere.CloneRequest;
import com.codeconnect.vmgroup.vsphere.GuestCustomization;
import com.codeconnect.vmgroup.vsphere.GuestCustomization.IpSettings;
import com.codeconnect.vmgroup.vsphere.MoRef;
import com.codeconnect.vmgroup.vsphere.TaskInfo;
import com.codeconnect.vmgroup.vsphere.TaskRef;
import com.codeconnect.vmgroup.vsphere.VmChange;
import com.codeconnect.vmgroup.vsphere.VmDetails;
import com.codeconnect.vmgroup.vsphere.contract.LogCapture;
import com.codeconnect.vmgroup.vsphere.contract.PlantedSecrets;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * A careless vCenter echoes the whole request in its faults, and a task's error quotes the request
 * long after the call: cloud-init user data and a Sysprep answer file in those requests still
 * appear in no exception, task error, log line or record's text. Paddings move the secrets across
 * every place a message is cut.
 */
class SoapSecretsTest {
  private static final Pattern METHOD = Pattern.compile("<soapenv:Body><([A-Za-z_]+)");

  @Test
  void echoedRequestsAreMaskedInFaultsTaskErrorsAndLogs() throws IOException {
    AtomicReference<String> echo = new AtomicReference<>("");
    AtomicReference<String> padding = new AtomicReference<>("");
    List<String> seen = new ArrayList<>();
    try (LogCapture logs = new LogCapture();
        TinyHttpServer server = new TinyHttpServer(body -> answer(body, echo, padding))) {
      SoapVsphereClient client = SoapRequestsWsdlOrderTest.clientOf(server);
      CloneRequest clone =
          SoapRequestsWsdlOrderTest.fullClone()
              .withCustomization(
                  new GuestCustomization.Sysprep(
                      UNATTEND, List.of(IpSettings.DHCP, IpSettings.DHCP), List.of(), List.of()));
      clone =
          new CloneRequest(
                  clone.source(),
                  clone.folder(),
                  clone.pool(),
                  null,
                  clone.name(),
                  2,
                  64,
                  Map.of("guestinfo.userdata", USERDATA),
                  null,
                  false)
              .withCustomization(clone.customization());
      VmChange change = VmChange.size(0, 0, Map.of("guestinfo.userdata", USERDATA));
      for (int pad = 0; pad < Redaction.MAX_MESSAGE + 200; pad += 37) {
        padding.set("x".repeat(pad));
        CloneRequest r = clone;
        seen.add(String.valueOf(catchThrowable(() -> client.cloneVm(r))));
        TaskRef task = client.reconfigureVm(new MoRef("VirtualMachine", "vm-1"), change);
        TaskInfo info = client.tasks(List.of(task)).get(0);
        assertThat(info.state()).isEqualTo(TaskInfo.State.ERROR);
        seen.add(info.toString());
      }
      client.close();
      seen.addAll(logs.lines());
      seen.add(clone.toString());
      seen.add(change.toString());
      seen.add(
          new VmDetails(
                  new MoRef("VirtualMachine", "vm-1"),
                  List.of(),
                  List.of(),
                  List.of(),
                  1,
                  "",
                  Map.of("guestinfo.userdata", USERDATA),
                  null)
              .toString());
    }
    // the echoes did reach the messages, masked
    assertThat(seen).anyMatch(s -> s.contains("***"));
    assertThat(seen).noneMatch(PlantedSecrets::shows);
  }

  /**
   * Clone and reconfigure calls fail with a fault echoing the request; the reconfigure's task ends
   * with an error quoting the last request seen. Everything else is a recorded answer.
   */
  private static TinyHttpServer.Response answer(
      String body, AtomicReference<String> echo, AtomicReference<String> padding) {
    Matcher m = METHOD.matcher(body);
    String method = m.find() ? m.group(1) : "?";
    String envelope =
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?><soapenv:Envelope"
            + " xmlns:soapenv=\"http://schemas.xmlsoap.org/soap/envelope/\""
            + " xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\"><soapenv:Body>%s"
            + "</soapenv:Body></soapenv:Envelope>";
    switch (method) {
      case "CloneVM_Task" -> {
        echo.set(padding.get() + body);
        String fault =
            "<soapenv:Fault><faultcode>ServerFaultCode</faultcode><faultstring>"
                + escape(echo.get())
                + "</faultstring><detail><InvalidArgumentFault xmlns=\"urn:vim25\""
                + " xsi:type=\"InvalidArgument\"><invalidProperty>spec</invalidProperty>"
                + "</InvalidArgumentFault></detail></soapenv:Fault>";
        return reply(500, String.format(envelope, fault), null);
      }
      case "ReconfigVM_Task" -> {
        echo.set(padding.get() + body);
        return reply(
            200,
            String.format(
                envelope,
                "<ReconfigVM_TaskResponse xmlns=\"urn:vim25\"><returnval type=\"Task\">task-1"
                    + "</returnval></ReconfigVM_TaskResponse>"),
            null);
      }
      case "RetrievePropertiesEx" -> {
        return reply(
            200,
            String.format(
                envelope,
                "<RetrievePropertiesExResponse xmlns=\"urn:vim25\"><returnval><objects>"
                    + "<obj type=\"Task\">task-1</obj><propSet><name>info.state</name>"
                    + "<val xsi:type=\"TaskInfoState\">error</val></propSet><propSet>"
                    + "<name>info.error</name><val xsi:type=\"LocalizedMethodFault\"><fault"
                    + " xsi:type=\"InvalidArgument\"><invalidProperty>spec</invalidProperty>"
                    + "</fault><localizedMessage>"
                    + escape(echo.get())
                    + "</localizedMessage></val></propSet></objects></returnval>"
                    + "</RetrievePropertiesExResponse>"),
            null);
      }
      default -> {
        return SoapRequestsWsdlOrderTest.recordedAnswer(method);
      }
    }
  }

  private static TinyHttpServer.Response reply(int status, String body, String header) {
    return new TinyHttpServer.Response(
        status,
        header == null ? new String[0] : new String[] {header},
        body.getBytes(StandardCharsets.UTF_8),
        TinyHttpServer.Mode.WHOLE,
        0);
  }

  private static String escape(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
  }
}
