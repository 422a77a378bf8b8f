<?xml version="1.0" encoding="UTF-8"?>
<!-- The admin console's overview: live agents and queues (kept current by
     admin.js from the event stream) and the last calls. The side
     navigation leads to the other sections (list.xsl, form.xsl). -->
<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:i="urn:cc:i18n" exclude-result-prefixes="i">
  <xsl:import href="layout.xsl"/>

  <xsl:template match="/page" mode="title">
    <xsl:value-of select="i:t('admin.title')"/>
  </xsl:template>

  <xsl:template match="/page" mode="scripts">
    <script src="/cc/static/cc.js" defer="defer"></script>
    <script src="/cc/static/admin.js" defer="defer"></script>
  </xsl:template>

  <xsl:template match="/page" mode="main">
    <xsl:variable name="ad" select="admin"/>
    <div class="console" id="admin" data-b2bua="{$ad/@b2bua}">
      <xsl:call-template name="side-nav"/>
      <div class="console-main">
        <div id="b2bua-status" class="banner banner-warn" role="status">
          <xsl:if test="$ad/@b2bua = 'up'"><xsl:attribute name="hidden">hidden</xsl:attribute></xsl:if>
          <xsl:value-of select="i:t('wb.b2bua_down')"/>
        </div>
        <h1><xsl:value-of select="i:t('admin.overview')"/></h1>
        <xsl:if test="count($ad/nodes/node) &gt; 1 or $ad/nodes/node[@up = '0']">
          <p class="field-hint" id="b2bua-nodes"><xsl:value-of select="i:t('admin.nodes')"/>
            <xsl:for-each select="$ad/nodes/node">
              <xsl:text> </xsl:text>
              <xsl:choose>
                <xsl:when test="@up = '1'">
                  <span class="badge reg-on" data-node="{@name}" title="{@address}"><xsl:value-of select="concat(@name, ' ', i:t('admin.node_up'))"/></span>
                </xsl:when>
                <xsl:otherwise>
                  <span class="badge reg-off" data-node="{@name}" title="{@address}"><xsl:value-of select="concat(@name, ' ', i:t('admin.node_down'))"/></span>
                </xsl:otherwise>
              </xsl:choose>
            </xsl:for-each>
          </p>
        </xsl:if>
        <div class="stats">
          <div class="stat"><div class="stat-n" id="stat-signed-in"><xsl:value-of select="count($ad/agents/agent[@state != 'logged_out'])"/></div>
            <div class="stat-l"><xsl:value-of select="i:t('admin.signed_in')"/></div></div>
          <div class="stat"><div class="stat-n" id="stat-ready"><xsl:value-of select="count($ad/agents/agent[@state = 'ready'])"/></div>
            <div class="stat-l"><xsl:value-of select="i:t('state.ready')"/></div></div>
          <div class="stat"><div class="stat-n" id="stat-on-call"><xsl:value-of select="count($ad/agents/agent[@state = 'on_call' or @state = 'reserved'])"/></div>
            <div class="stat-l"><xsl:value-of select="i:t('state.on_call')"/></div></div>
          <div class="stat"><div class="stat-n" id="stat-waiting"><xsl:value-of select="sum($ad/queues/queue/@waiting)"/></div>
            <div class="stat-l"><xsl:value-of select="i:t('admin.waiting')"/></div></div>
        </div>

        <section class="panel">
          <h2><xsl:value-of select="i:t('admin.agents')"/></h2>
          <table class="table" id="agents">
            <thead><tr>
              <th><xsl:value-of select="i:t('col.agent')"/></th>
              <th><xsl:value-of select="i:t('wb.phone')"/></th>
              <th><xsl:value-of select="i:t('wb.state')"/></th>
              <th><xsl:value-of select="i:t('col.since')"/></th>
              <th><xsl:value-of select="i:t('col.registration')"/></th>
            </tr></thead>
            <tbody>
              <xsl:for-each select="$ad/agents/agent">
                <tr data-agent-id="{@id}">
                  <td><xsl:value-of select="@name"/></td>
                  <td class="mono"><xsl:value-of select="@sip"/></td>
                  <td class="cell-state">
                    <xsl:call-template name="state-badge">
                      <xsl:with-param name="state" select="@state"/>
                      <xsl:with-param name="reason" select="@reason"/>
                    </xsl:call-template>
                  </td>
                  <td class="mono cell-since" data-since="{@since}"><xsl:value-of select="@since-clock"/></td>
                  <td class="cell-reg">
                    <xsl:choose>
                      <xsl:when test="@registered = '1'"><span class="badge reg-on"><xsl:value-of select="i:t('wb.registered')"/></span></xsl:when>
                      <xsl:otherwise><span class="badge reg-off"><xsl:value-of select="i:t('wb.unregistered')"/></span></xsl:otherwise>
                    </xsl:choose>
                  </td>
                </tr>
              </xsl:for-each>
              <xsl:if test="not($ad/agents/agent)">
                <tr class="empty"><td colspan="5"><xsl:value-of select="i:t('admin.no_agents')"/></td></tr>
              </xsl:if>
            </tbody>
          </table>
        </section>

        <section class="panel">
          <h2><xsl:value-of select="i:t('admin.queues')"/></h2>
          <table class="table" id="queues">
            <thead><tr>
              <th><xsl:value-of select="i:t('col.queue')"/></th>
              <th class="num"><xsl:value-of select="i:t('admin.waiting')"/></th>
              <th class="num"><xsl:value-of select="i:t('col.oldest')"/></th>
              <th class="num"><xsl:value-of select="i:t('state.ready')"/></th>
              <th class="num"><xsl:value-of select="i:t('admin.signed_in')"/></th>
            </tr></thead>
            <tbody>
              <xsl:for-each select="$ad/queues/queue">
                <tr data-queue-id="{@id}">
                  <td><xsl:value-of select="@name"/></td>
                  <td class="num"><xsl:value-of select="@waiting"/></td>
                  <td class="num mono"><xsl:call-template name="duration"><xsl:with-param name="s" select="@oldest"/></xsl:call-template></td>
                  <td class="num"><xsl:value-of select="@ready"/></td>
                  <td class="num"><xsl:value-of select="@signed-in"/></td>
                </tr>
              </xsl:for-each>
              <xsl:if test="not($ad/queues/queue)">
                <tr class="empty"><td colspan="5"><xsl:value-of select="i:t('admin.no_queues')"/></td></tr>
              </xsl:if>
            </tbody>
          </table>
        </section>

        <section class="panel">
          <h2><xsl:value-of select="i:t('admin.calls')"/></h2>
          <table class="table" id="calls">
            <thead><tr>
              <th><xsl:value-of select="i:t('col.time')"/></th>
              <th><xsl:value-of select="i:t('col.direction')"/></th>
              <th><xsl:value-of select="i:t('col.caller')"/></th>
              <th><xsl:value-of select="i:t('col.number')"/></th>
              <th><xsl:value-of select="i:t('col.agent')"/></th>
              <th><xsl:value-of select="i:t('col.result')"/></th>
              <th class="num"><xsl:value-of select="i:t('col.wait')"/></th>
              <th class="num"><xsl:value-of select="i:t('col.talk')"/></th>
            </tr></thead>
            <tbody>
              <xsl:for-each select="$ad/calls/call">
                <tr data-call-id="{@id}">
                  <td class="mono"><xsl:value-of select="@time"/></td>
                  <td><xsl:value-of select="i:t(concat('dir.', @direction))"/></td>
                  <td class="mono"><xsl:value-of select="@caller"/></td>
                  <td class="mono"><xsl:value-of select="@callee"/></td>
                  <td><xsl:value-of select="@agent"/></td>
                  <td>
                    <xsl:choose>
                      <xsl:when test="string(@result)"><span class="badge result-{@result}"><xsl:value-of select="i:t(concat('result.', @result))"/></span></xsl:when>
                      <xsl:otherwise><span class="badge"><xsl:value-of select="i:t('result.live')"/></span></xsl:otherwise>
                    </xsl:choose>
                  </td>
                  <td class="num mono"><xsl:call-template name="duration"><xsl:with-param name="s" select="@wait"/></xsl:call-template></td>
                  <td class="num mono"><xsl:call-template name="duration"><xsl:with-param name="s" select="@talk"/></xsl:call-template></td>
                </tr>
              </xsl:for-each>
              <xsl:if test="not($ad/calls/call)">
                <tr class="empty"><td colspan="8"><xsl:value-of select="i:t('admin.no_calls')"/></td></tr>
              </xsl:if>
            </tbody>
          </table>
        </section>
      </div>
    </div>
  </xsl:template>
</xsl:stylesheet>
