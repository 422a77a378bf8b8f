<?xml version="1.0" encoding="UTF-8"?>
<!-- The agent's workbench: the agent card (state, phone, state buttons),
     the conversation list (today's calls, the one in progress online),
     the call panel (ringing banner, screen pop with the outbound task's
     data, the contact form, the call's intent and note, and the customer's
     recent calls), the agent's last calls. The contact form
     is made here from the manifest's fields; workbench.js fills it from the
     `pop` event and saves it. -->
<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:i="urn:cc:i18n" exclude-result-prefixes="i">
  <xsl:import href="layout.xsl"/>
  <xsl:include href="softphone.xsl"/>

  <xsl:template match="/page" mode="title">
    <xsl:value-of select="i:t('wb.title')"/>
  </xsl:template>

  <xsl:template match="/page" mode="scripts">
    <script src="/cc/static/cc.js" defer="defer"></script>
    <script src="/cc/static/workbench.js" defer="defer"></script>
    <script src="/cc/static/dial.js" defer="defer"></script>
    <script src="/cc/static/softphone.js" defer="defer"></script>
  </xsl:template>

  <xsl:template match="/page" mode="main">
    <xsl:variable name="wb" select="workbench"/>
    <xsl:variable name="a" select="workbench/agent"/>
    <div class="wb" id="workbench" data-agent-id="{$a/@id}" data-b2bua="{$wb/@b2bua}">
      <div id="b2bua-status" class="banner banner-warn" role="status">
        <xsl:if test="$wb/@b2bua = 'up'"><xsl:attribute name="hidden">hidden</xsl:attribute></xsl:if>
        <xsl:value-of select="i:t('wb.b2bua_down')"/>
      </div>
      <xsl:if test="$wb/@agent-error">
        <div class="banner banner-warn" id="agent-error" role="status">
          <xsl:value-of select="i:t(concat('b2bua.', $wb/@agent-error))"/>
        </div>
      </xsl:if>

      <aside class="panel agent-card" aria-labelledby="agent-name">
        <div class="agent-head">
          <span class="avatar avatar-lg" aria-hidden="true"><xsl:value-of select="substring($a/@name, 1, 1)"/></span>
          <div>
            <h1 id="agent-name"><xsl:value-of select="$a/@name"/></h1>
            <div class="muted" id="agent-username"><xsl:value-of select="$a/@username"/></div>
          </div>
        </div>
        <dl class="facts">
          <dt><xsl:value-of select="i:t('wb.state')"/></dt>
          <dd>
            <span id="state" class="badge state-{$a/@state}" data-state="{$a/@state}"
                  data-reason="{$a/@reason}" data-since="{$a/@since}">
              <xsl:value-of select="i:t(concat('state.', $a/@state))"/>
              <xsl:if test="$a/@state = 'not_ready' and string($a/@reason)">
                <xsl:text> · </xsl:text>
                <xsl:value-of select="i:t(concat('reason.', $a/@reason))"/>
              </xsl:if>
            </span>
            <span id="state-timer" class="timer muted"></span>
          </dd>
          <dt><xsl:value-of select="i:t('wb.phone')"/></dt>
          <dd>
            <xsl:choose>
              <xsl:when test="$wb/sip">
                <span id="sip-account" class="mono">
                  <xsl:value-of select="$wb/sip/@user"/>
                  <xsl:if test="string($wb/sip/@domain)">@<xsl:value-of select="$wb/sip/@domain"/></xsl:if>
                </span>
                <xsl:text> </xsl:text>
                <span id="reg" data-registered="{$a/@registered}">
                  <xsl:attribute name="class">
                    <xsl:choose>
                      <xsl:when test="$a/@registered = '1'">badge reg-on</xsl:when>
                      <xsl:otherwise>badge reg-off</xsl:otherwise>
                    </xsl:choose>
                  </xsl:attribute>
                  <xsl:choose>
                    <xsl:when test="$a/@registered = '1'"><xsl:value-of select="i:t('wb.registered')"/></xsl:when>
                    <xsl:otherwise><xsl:value-of select="i:t('wb.unregistered')"/></xsl:otherwise>
                  </xsl:choose>
                </span>
              </xsl:when>
              <xsl:otherwise>
                <span id="sip-account" class="muted"><xsl:value-of select="i:t('wb.no_sip')"/></span>
              </xsl:otherwise>
            </xsl:choose>
          </dd>
        </dl>
        <div class="state-actions" role="group" aria-label="{i:t('wb.state')}">
          <button type="button" class="btn btn-primary" id="btn-signin" data-state="ready">
            <xsl:value-of select="i:t('wb.signin')"/>
          </button>
          <button type="button" class="btn btn-ok" id="btn-ready" data-state="ready">
            <xsl:value-of select="i:t('wb.ready')"/>
          </button>
          <div class="break-row">
            <label class="sr-only" for="break-reason"><xsl:value-of select="i:t('wb.break_reason')"/></label>
            <select id="break-reason" name="reason">
              <xsl:for-each select="$wb/reasons/reason">
                <option value="{@code}"><xsl:value-of select="i:t(concat('reason.', @code))"/></option>
              </xsl:for-each>
            </select>
            <button type="button" class="btn btn-warn" id="btn-break" data-state="not_ready">
              <xsl:value-of select="i:t('wb.break')"/>
            </button>
          </div>
          <button type="button" class="btn btn-quiet" id="btn-signout" data-state="logged_out">
            <xsl:value-of select="i:t('wb.signout')"/>
          </button>
        </div>
        <div id="state-error" class="inline-error" role="alert"></div>
        <xsl:call-template name="dial-box"/>
        <xsl:call-template name="softphone-panel"><xsl:with-param name="agent" select="$a"/></xsl:call-template>
      </aside>

      <section class="panel conv-panel" aria-labelledby="conv-title">
        <h2 id="conv-title"><xsl:value-of select="i:t('wb.conv.title')"/></h2>
        <ul id="conv-list" class="conv-list">
          <xsl:for-each select="$wb/convs/conv">
            <li class="conv" data-call-id="{@id}" data-online="{@online}" data-direction="{@direction}">
              <button type="button" class="conv-open">
                <span aria-hidden="true">
                  <xsl:attribute name="class">
                    <xsl:choose>
                      <xsl:when test="@online = '1'">phone-icon phone-online</xsl:when>
                      <xsl:otherwise>phone-icon phone-left</xsl:otherwise>
                    </xsl:choose>
                  </xsl:attribute>
                </span>
                <span class="conv-who">
                  <xsl:choose>
                    <xsl:when test="string(@name)"><xsl:value-of select="@name"/></xsl:when>
                    <xsl:otherwise><span class="mono"><xsl:value-of select="@number"/></span></xsl:otherwise>
                  </xsl:choose>
                </span>
                <span class="conv-meta muted">
                  <span class="conv-dir"><xsl:value-of select="i:t(concat('dir.', @direction))"/></span>
                  <xsl:text> · </xsl:text>
                  <span class="conv-time mono"><xsl:value-of select="@time"/></span>
                  <xsl:text> · </xsl:text>
                  <span class="conv-presence">
                    <xsl:choose>
                      <xsl:when test="@online = '1'"><xsl:value-of select="i:t('wb.conv.online')"/></xsl:when>
                      <xsl:otherwise><xsl:value-of select="i:t('wb.conv.left')"/></xsl:otherwise>
                    </xsl:choose>
                  </span>
                  <xsl:if test="string(@intent)">
                    <xsl:text> · </xsl:text>
                    <span class="conv-intent"><xsl:value-of select="i:t(concat('wb.intent.', @intent))"/></span>
                  </xsl:if>
                </span>
              </button>
            </li>
          </xsl:for-each>
        </ul>
        <p id="conv-empty" class="muted">
          <xsl:if test="$wb/convs/conv"><xsl:attribute name="hidden">hidden</xsl:attribute></xsl:if>
          <xsl:value-of select="i:t('wb.conv.empty')"/>
        </p>
        <div id="conv-error" class="inline-error" role="alert"></div>
      </section>

      <section class="panel call-panel" id="call-panel" aria-live="polite">
        <div id="ringing" class="ringing" hidden="hidden" role="alert">
          <span class="ring-dot" aria-hidden="true"></span>
          <span class="ring-label"><xsl:value-of select="i:t('wb.ringing')"/></span>
          <span class="ring-caller mono" id="ringing-caller"></span>
          <span class="ring-name" id="ringing-name"></span>
        </div>
        <div id="idle" class="idle">
          <div class="idle-icon" aria-hidden="true"></div>
          <p><xsl:value-of select="i:t('wb.idle')"/></p>
        </div>
        <div id="pop" hidden="hidden" data-call-id="" data-ts="">
          <div class="pop-head">
            <div>
              <div class="pop-caller mono" id="pop-caller"></div>
              <div class="pop-title" id="pop-title"></div>
              <div class="pop-dedicated muted" id="pop-dedicated" hidden="hidden"></div>
            </div>
            <span id="call-status" class="badge"></span>
          </div>
          <div id="incall" class="incall" role="toolbar" aria-label="{i:t('ic.title')}" hidden="hidden">
            <button type="button" class="btn" id="btn-hold" data-on="hold" data-off="resume">
              <xsl:value-of select="i:t('ic.hold')"/>
            </button>
            <button type="button" class="btn" id="btn-mute" data-on="mute" data-off="unmute">
              <xsl:value-of select="i:t('ic.mute')"/>
            </button>
            <button type="button" class="btn" id="btn-transfer" aria-expanded="false"
                    aria-controls="transfer-box">
              <xsl:value-of select="i:t('ic.transfer')"/>
            </button>
            <form id="keys-box" class="keys-box" novalidate="novalidate" autocomplete="off">
              <input id="keys" name="digits" maxlength="32" size="8" inputmode="tel"
                     pattern="[0-9*#A-Da-d]{{1,32}}" aria-label="{i:t('ic.keys')}"
                     placeholder="{i:t('ic.keys')}"/>
              <button type="submit" class="btn" id="btn-keys"><xsl:value-of select="i:t('ic.send_keys')"/></button>
            </form>
            <button type="button" class="btn btn-warn" id="btn-hangup">
              <xsl:value-of select="i:t('ic.hangup')"/>
            </button>
            <span id="incall-state" class="badge" hidden="hidden"></span>
            <span id="hold-timer" class="timer muted"></span>
          </div>
          <form id="transfer-box" class="transfer-box" hidden="hidden" novalidate="novalidate"
                autocomplete="off">
            <label for="transfer-kind"><xsl:value-of select="i:t('ic.transfer_to')"/></label>
            <select id="transfer-kind" name="kind">
              <option value="agent"><xsl:value-of select="i:t('ic.kind.agent')"/></option>
              <option value="group"><xsl:value-of select="i:t('ic.kind.group')"/></option>
              <option value="flow"><xsl:value-of select="i:t('ic.kind.flow')"/></option>
              <option value="number"><xsl:value-of select="i:t('ic.kind.number')"/></option>
            </select>
            <select id="transfer-target" name="target" aria-label="{i:t('ic.target')}"></select>
            <input type="tel" id="transfer-number" name="number" maxlength="40" hidden="hidden"
                   aria-label="{i:t('ic.kind.number')}"/>
            <button type="submit" class="btn btn-primary" id="btn-transfer-go">
              <xsl:value-of select="i:t('ic.transfer_go')"/>
            </button>
            <button type="button" class="btn" id="btn-consult">
              <xsl:value-of select="i:t('ic.consult')"/>
            </button>
            <p class="muted"><xsl:value-of select="i:t('ic.transfer_hint')"/></p>
          </form>
          <div id="consult-bar" class="transfer-box" hidden="hidden" role="status" data-state="">
            <span id="consult-state"></span>
            <button type="button" class="btn btn-primary" id="btn-consult-complete">
              <xsl:value-of select="i:t('ic.consult_complete')"/>
            </button>
            <button type="button" class="btn" id="btn-consult-cancel">
              <xsl:value-of select="i:t('ic.consult_cancel')"/>
            </button>
          </div>
          <div id="incall-error" class="inline-error" role="alert"></div>
          <div id="rec-controls" class="rec-controls" hidden="hidden" data-state="off">
            <span class="muted"><xsl:value-of select="i:t('wb.rec.title')"/>: </span>
            <span id="rec-state" class="badge"><xsl:value-of select="i:t('wb.rec.off')"/></span>
            <button type="button" class="btn" id="btn-rec-start" data-op="start"><xsl:value-of select="i:t('wb.rec.start')"/></button>
            <button type="button" class="btn" id="btn-rec-pause" data-op="pause"><xsl:value-of select="i:t('wb.rec.pause')"/></button>
            <button type="button" class="btn" id="btn-rec-resume" data-op="resume"><xsl:value-of select="i:t('wb.rec.resume')"/></button>
            <button type="button" class="btn" id="btn-rec-stop" data-op="stop"><xsl:value-of select="i:t('wb.rec.stop')"/></button>
            <span id="rec-error" class="inline-error" role="alert"></span>
          </div>
          <div id="pop-task" class="pop-task" hidden="hidden">
            <span class="muted"><xsl:value-of select="i:t('wb.task')"/>: </span>
            <span id="pop-task-name"></span>
          </div>
          <section id="pop-data" class="pop-data" hidden="hidden">
            <h2 class="sub" id="pop-data-title" data-call="{i:t('wb.call_data')}" data-task="{i:t('wb.task_data')}"><xsl:value-of select="i:t('wb.call_data')"/></h2>
            <dl id="pop-data-list"></dl>
          </section>
          <form id="contact-form" novalidate="novalidate" autocomplete="off">
            <input type="hidden" name="_id" value=""/>
            <input type="hidden" name="_call" value=""/>
            <div class="form-grid">
              <xsl:for-each select="$wb/form/field">
                <div class="field field-{@type}" data-column="{@column}">
                  <label for="f-{@column}">
                    <xsl:value-of select="@label"/>
                    <xsl:if test="@required = '1'"><span class="req" aria-hidden="true">*</span></xsl:if>
                  </label>
                  <xsl:choose>
                    <xsl:when test="@type = 'textarea'">
                      <textarea id="f-{@column}" name="{@column}" rows="3" maxlength="{@max}"></textarea>
                    </xsl:when>
                    <xsl:when test="@type = 'choice'">
                      <select id="f-{@column}" name="{@column}">
                        <option value="">—</option>
                        <xsl:for-each select="choice">
                          <option value="{@value}"><xsl:value-of select="@label"/></option>
                        </xsl:for-each>
                      </select>
                    </xsl:when>
                    <xsl:otherwise>
                      <input id="f-{@column}" name="{@column}" maxlength="{@max}">
                        <xsl:attribute name="type">
                          <xsl:choose>
                            <xsl:when test="@type = 'phone'">tel</xsl:when>
                            <xsl:when test="@type = 'email'">email</xsl:when>
                            <xsl:otherwise>text</xsl:otherwise>
                          </xsl:choose>
                        </xsl:attribute>
                        <xsl:if test="@required = '1'"><xsl:attribute name="required">required</xsl:attribute></xsl:if>
                      </input>
                    </xsl:otherwise>
                  </xsl:choose>
                  <div class="field-error" id="err-{@column}"></div>
                </div>
              </xsl:for-each>
            </div>
            <div class="form-grid call-note">
              <div class="field field-choice" data-column="_intent">
                <label for="f-_intent"><xsl:value-of select="i:t('wb.intent')"/></label>
                <select id="f-_intent" name="_intent">
                  <option value="">—</option>
                  <xsl:for-each select="$wb/intents/intent">
                    <option value="{@code}"><xsl:value-of select="i:t(concat('wb.intent.', @code))"/></option>
                  </xsl:for-each>
                </select>
                <div class="field-error" id="err-_intent"></div>
              </div>
              <div class="field field-textarea" data-column="_note">
                <label for="f-_note"><xsl:value-of select="i:t('wb.note')"/></label>
                <textarea id="f-_note" name="_note" rows="3" maxlength="1000"></textarea>
                <div class="field-error" id="err-_note"></div>
              </div>
            </div>
            <div class="form-actions">
              <button type="submit" class="btn btn-primary" id="btn-save">
                <xsl:value-of select="i:t('wb.save')"/>
              </button>
              <span id="save-status" role="status"></span>
            </div>
          </form>
          <h2 class="sub"><xsl:value-of select="i:t('wb.recent')"/></h2>
          <table class="table" id="recent-calls">
            <thead>
              <tr>
                <th><xsl:value-of select="i:t('col.time')"/></th>
                <th><xsl:value-of select="i:t('col.direction')"/></th>
                <th><xsl:value-of select="i:t('col.agent')"/></th>
                <th><xsl:value-of select="i:t('col.result')"/></th>
                <th class="num"><xsl:value-of select="i:t('col.duration')"/></th>
              </tr>
            </thead>
            <tbody></tbody>
          </table>
        </div>
      </section>

      <section class="panel my-calls">
        <h2><xsl:value-of select="i:t('wb.my_calls')"/></h2>
        <table class="table" id="my-calls">
          <thead>
            <tr>
              <th><xsl:value-of select="i:t('col.time')"/></th>
              <th><xsl:value-of select="i:t('col.direction')"/></th>
              <th><xsl:value-of select="i:t('col.caller')"/></th>
              <th><xsl:value-of select="i:t('col.callee')"/></th>
              <th><xsl:value-of select="i:t('col.result')"/></th>
              <th class="num"><xsl:value-of select="i:t('col.duration')"/></th>
            </tr>
          </thead>
          <tbody>
            <xsl:for-each select="$wb/calls/call">
              <tr data-call-id="{@id}">
                <td class="mono"><xsl:value-of select="@time"/></td>
                <td><xsl:value-of select="i:t(concat('dir.', @direction))"/></td>
                <td class="mono"><xsl:value-of select="@caller"/></td>
                <td class="mono"><xsl:value-of select="@callee"/></td>
                <td>
                  <xsl:choose>
                    <xsl:when test="string(@result)"><xsl:value-of select="i:t(concat('result.', @result))"/></xsl:when>
                    <xsl:otherwise>—</xsl:otherwise>
                  </xsl:choose>
                </td>
                <td class="num mono">
                  <xsl:call-template name="duration"><xsl:with-param name="s" select="@duration"/></xsl:call-template>
                </td>
              </tr>
            </xsl:for-each>
            <xsl:if test="not($wb/calls/call)">
              <tr class="empty"><td colspan="6"><xsl:value-of select="i:t('wb.no_calls')"/></td></tr>
            </xsl:if>
          </tbody>
        </table>
      </section>
    </div>
  </xsl:template>
  <!-- Click-to-dial (static/dial.js): the B2BUA rings the agent's phone,
       then the number; the pop's phone fields get a button of their own. -->
  <xsl:template name="dial-box">
    <form id="dial-box" class="dial-box" novalidate="novalidate" autocomplete="off"
          data-calling="{i:t('dial.calling')}" data-call="{i:t('dial.call')}"
          data-failed="{i:t('dial.failed')}">
      <label for="dial-number"><xsl:value-of select="i:t('dial.title')"/></label>
      <div class="dial-row">
        <input type="tel" id="dial-number" name="number" maxlength="40"
               placeholder="{i:t('dial.placeholder')}" aria-label="{i:t('dial.number')}"/>
        <button type="submit" class="btn btn-primary" id="btn-dial">
          <xsl:value-of select="i:t('dial.call')"/>
        </button>
      </div>
      <div id="dial-status" class="muted" role="status"></div>
      <div id="dial-error" class="inline-error" role="alert"></div>
    </form>
  </xsl:template>
</xsl:stylesheet>
